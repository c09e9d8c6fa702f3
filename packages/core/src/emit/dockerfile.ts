import type { Command, Healthcheck, Origin, ResolvedService, ResolvedStage, Step, Traced } from '../resolve';
import { baseName } from './refs';
import { copyContentLines, onbuildLines, volumeLine } from './forms';
import { headerLines } from './header';
import { runLines } from './run';
import {
  command,
  commentLines,
  envPair,
  execForm,
  flag,
  jsonPaths,
  labelPair,
  pathArguments,
  port,
  signal,
  user,
  variableName,
  workdirPath,
  type Refusal,
  type Refuse,
} from './tokens';

export interface EmittedLine {
  text: string;
  /** Where in stages.yaml the line comes from; absent for the header and blank lines. */
  origin?: Origin;
  /** The stage the line belongs to (its description comment included); absent outside stages. */
  stage?: string;
}

/** A value the emitter refused, with the origin of the instruction it belongs to. */
export interface EmitRefusal extends Refusal {
  origin: Origin;
}

export interface EmittedDockerfile {
  service: string;
  /** Workspace-relative path of the Dockerfile. */
  path: string;
  text: string;
  lines: EmittedLine[];
  /** Values that cannot be written faithfully; when any, the text must not be used. */
  refusals: EmitRefusal[];
}

/**
 * What the Dockerfiles of one run share, so that the same work is not repeated per service: the
 * header of each folder (the config path relative to it) and of each header text. compile()
 * makes one per run; nothing outlives it. Only results that raised no refusal are kept, so a
 * refused value is checked again wherever it is used and every refusal still reaches its place.
 */
export interface EmitRun {
  readonly configName: string;
  /**
   * A resolved stage -> its lines and refusals. Resolve gives every service that adopts a
   * pipeline's stage unchanged the same stage object (results are never mutated), and what a
   * stage emits depends on the stage alone, so it is emitted once per run.
   */
  readonly stages: Map<ResolvedStage, { text: string; refusals: readonly EmitRefusal[] }>;
  /** A folder depth -> the config path from there, JSON-quoted (header.ts, plainDepth). */
  readonly markerConfig: Map<number, string>;
  /** A header or description text -> its comment lines, when they were refused nothing. */
  readonly comments: Map<string, readonly string[]>;
}

export const emitRun = (configName = 'stages.yaml'): EmitRun => ({
  configName,
  stages: new Map(),
  markerConfig: new Map(),
  comments: new Map(),
});

/** Phase 5: a resolved service to its Dockerfile text, each line keeping its origin. Pure and byte-stable. */
export function emitDockerfile(
  service: ResolvedService,
  configName = 'stages.yaml',
  run: EmitRun = emitRun(configName),
): EmittedDockerfile {
  const lines: EmittedLine[] = [];
  const out = emitInto(service, run, lines);
  return { service: service.name, path: service.dockerfile, text: out.text, lines, refusals: out.refusals };
}

/**
 * The same Dockerfile without the per-line records: compile() writes text, and only `explain`
 * reads the lines, so they are emitted again (the same service, the same run: the same lines)
 * when someone first asks for them.
 */
export function emitDockerfileText(service: ResolvedService, run: EmitRun): EmittedDockerfile {
  const out = emitInto(service, run, undefined);
  let lines: EmittedLine[] | undefined;
  return {
    service: service.name,
    path: service.dockerfile,
    text: out.text,
    get lines(): EmittedLine[] {
      if (lines === undefined) {
        lines = [];
        emitInto(service, run, lines);
      }
      return lines;
    },
    refusals: out.refusals,
  };
}

/**
 * Where an emission goes: the text lines always, the EmittedLine records when asked for. One
 * `refuse` serves the whole Dockerfile: `at(origin)` names the instruction its refusals belong
 * to (token functions call it synchronously, before the next `at`), instead of a new closure
 * per value.
 */
class Sink {
  readonly texts: string[] = [];
  readonly refusals: EmitRefusal[] = [];
  /** The stage whose lines are being written; undefined before the first. */
  stage: string | undefined;
  private origin: Origin | undefined;
  readonly refuse: Refuse = (r) => {
    this.refusals.push({ ...r, origin: this.origin! });
  };

  constructor(readonly lines: EmittedLine[] | undefined) {}

  at(origin: Origin): Refuse {
    this.origin = origin;
    return this.refuse;
  }

  push(text: string, origin?: Origin): void {
    this.texts.push(text);
    if (this.lines === undefined) return;
    // Two fixed shapes, the keys in the order explain and the golden files have always seen.
    if (this.stage === undefined) this.lines.push(origin ? { text, origin } : { text });
    else this.lines.push(origin ? { text, origin, stage: this.stage } : { text, stage: this.stage });
  }
}

function emitInto(service: ResolvedService, run: EmitRun, lines: EmittedLine[] | undefined): { text: string; refusals: EmitRefusal[] } {
  const out = new Sink(lines);
  // The syntax value is checked where it is written (checkConfigFields), which knows its position.
  if (service.syntax) out.push(`# syntax=${service.syntax}`);
  for (const line of headerLines(service, run, (origin) => out.at(origin))) out.push(line);
  if (service.globalArgs.length > 0) {
    out.push('');
    for (const arg of service.globalArgs) out.push(argLine(arg.key, arg.value, out.at(arg.origin)), arg.origin);
  }
  for (const stage of service.stages) {
    out.stage = undefined;
    out.push('');
    if (lines === undefined) {
      // Text only: a stage shared with other services of the run is emitted once.
      // Its lines joined once: the Dockerfile's text joins the same lines either way.
      const emitted = stageOnce(stage, run);
      out.texts.push(emitted.text);
      for (let i = 0; i < emitted.refusals.length; i++) out.refusals.push(emitted.refusals[i]!);
      continue;
    }
    // Every line a stage emits, heredoc bodies and blank lines in them too, carries its name.
    out.stage = stage.name;
    emitStage(stage, out);
  }
  return { text: `${out.texts.join('\n')}\n`, refusals: out.refusals };
}

function stageOnce(stage: ResolvedStage, run: EmitRun): { text: string; refusals: readonly EmitRefusal[] } {
  let emitted = run.stages.get(stage);
  if (emitted === undefined) {
    const out = new Sink(undefined);
    emitStage(stage, out);
    emitted = { text: out.texts.join('\n'), refusals: out.refusals };
    run.stages.set(stage, emitted);
  }
  return emitted;
}

const argLine = (key: string, value: string | null, refuse: Refuse): string =>
  value === null ? `ARG ${variableName(key, refuse, 'ARG')}` : `ARG ${envPair(key, value, refuse, 'ARG')}`;

function emitStage(stage: ResolvedStage, out: Sink): void {
  const push = (text: string, origin?: Origin): void => out.push(text, origin);
  const at = (origin: Origin): Refuse => out.at(origin);
  if (stage.description) {
    for (const line of commentLines(stage.description.value, at(stage.description.origin))) push(line, stage.description.origin);
  }
  const platform = stage.platform ? `${flag('platform', stage.platform.value, at(stage.platform.origin))} ` : '';
  push(`FROM ${platform}${baseName(stage.base.value, at(stage.base.origin))} AS ${stage.name}`, stage.base.origin);
  for (const name of stage.redeclared) push(`ARG ${name}`, stage.origin);
  for (const arg of stage.args) push(argLine(arg.key, arg.value, at(arg.origin)), arg.origin);
  for (const env of stage.env) push(`ENV ${envPair(env.key, env.value ?? '', at(env.origin), 'ENV')}`, env.origin);
  if (stage.workdir) push(`WORKDIR ${workdirPath(stage.workdir.value, at(stage.workdir.origin))}`, stage.workdir.origin);
  if (stage.shell) push(`SHELL ${shellForm(stage.shell.value, at(stage.shell.origin))}`, stage.shell.origin);
  for (const step of stage.steps) {
    const texts = stepLines(step, at(step.origin));
    for (let i = 0; i < texts.length; i++) push(texts[i]!, step.origin);
  }
  // An empty list means "none here": a bare EXPOSE or VOLUME [] is an error or a no-op for Docker.
  if (stage.expose && stage.expose.value.length > 0) {
    const refuse = at(stage.expose.origin);
    let text = 'EXPOSE';
    for (const p of stage.expose.value) text += ` ${port(p, refuse)}`;
    push(text, stage.expose.origin);
  }
  if (stage.volumes && stage.volumes.value.length > 0)
    push(`VOLUME ${jsonPaths(stage.volumes.value, at(stage.volumes.origin), 'a VOLUME path')}`, stage.volumes.origin);
  for (const label of stage.labels) push(`LABEL ${labelPair(label.key, label.value ?? '', at(label.origin))}`, label.origin);
  if (stage.user) push(`USER ${user(stage.user.value, at(stage.user.origin))}`, stage.user.origin);
  if (stage.healthcheck) push(healthcheck(stage.healthcheck.value, at(stage.healthcheck.origin)), stage.healthcheck.origin);
  if (stage.stopsignal) push(`STOPSIGNAL ${signal(stage.stopsignal.value, at(stage.stopsignal.origin))}`, stage.stopsignal.origin);
  // `[]` stays: ENTRYPOINT [] / CMD [] are Docker's way to reset an inherited value.
  if (stage.entrypoint)
    push(`ENTRYPOINT ${command(stage.entrypoint.value, at(stage.entrypoint.origin), 'ENTRYPOINT')}`, stage.entrypoint.origin);
  if (stage.cmd) push(`CMD ${command(stage.cmd.value, at(stage.cmd.origin), 'CMD')}`, stage.cmd.origin);
  for (const step of stage.onbuild) for (const text of onbuildLines(stepLines(step, at(step.origin)))) push(text, step.origin);
}

function shellForm(shell: readonly string[], refuse: Refuse): string {
  if (shell.length === 0) refuse({ code: 'EMPTY_VALUE', message: 'SHELL needs at least the shell program', value: '' });
  return execForm(shell, refuse, 'a SHELL argument');
}

function healthcheck(h: Healthcheck | 'none', refuse: Refuse): string {
  if (h === 'none') return 'HEALTHCHECK NONE';
  const flags = [
    h.interval && flag('interval', h.interval, refuse),
    h.timeout && flag('timeout', h.timeout, refuse),
    h.startPeriod && flag('start-period', h.startPeriod, refuse),
    h.startInterval && flag('start-interval', h.startInterval, refuse),
    h.retries !== undefined && `--retries=${h.retries}`,
  ].filter(Boolean);
  const test = healthTest(h.test);
  if (test.length === 0) {
    refuse({
      code: 'EMPTY_VALUE',
      message: 'the healthcheck test is empty: Docker rejects HEALTHCHECK CMD without a command',
      hint: 'write a command, or healthcheck: none to disable an inherited one',
      value: '',
    });
  }
  return `HEALTHCHECK ${flags.map((f) => `${f} `).join('')}CMD ${command(test, refuse, 'HEALTHCHECK CMD')}`;
}

/** Compose-style tests (`[CMD, curl, ...]`, `[CMD-SHELL, "curl ..."]`) mean what Docker's HEALTHCHECK CMD means. */
function healthTest(test: Command): Command {
  if (!Array.isArray(test)) return test;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return test.slice(1).join(' ');
  return test;
}

function stepLines({ value: step }: Traced<Step>, refuse: Refuse): string[] {
  switch (step.kind) {
    case 'run':
      return runLines(step, refuse);
    case 'copy':
    case 'add': {
      const flags: string[] = [];
      if (step.kind === 'copy' && step.from) flags.push(`--from=${baseName(step.from, refuse)}`);
      if (step.kind === 'add' && step.checksum) flags.push(flag('checksum', step.checksum, refuse));
      if (step.kind === 'add' && step.keepGitDir) flags.push('--keep-git-dir=true');
      if (step.chown) flags.push(`--chown=${user(step.chown, refuse, '--chown')}`);
      if (step.chmod) flags.push(flag('chmod', step.chmod, refuse));
      if (step.link) flags.push('--link');
      if (step.kind === 'copy' && step.parents) flags.push('--parents');
      if (step.kind === 'copy') for (const pattern of step.exclude) flags.push(flag('exclude', pattern, refuse));
      if (step.kind === 'copy' && step.content !== undefined) return copyContentLines(flags, step.content, step.dest, refuse);
      const instruction = step.kind === 'copy' ? 'COPY' : 'ADD';
      let text = instruction;
      for (const f of flags) text += ` ${f}`;
      return [`${text} ${pathArguments([...step.sources, step.dest], refuse, `a ${instruction} path`)}`];
    }
    case 'env':
      return step.entries.map((e) => `ENV ${envPair(e.key, e.value ?? '', refuse, 'ENV')}`);
    case 'arg':
      return step.entries.map((e) => argLine(e.key, e.value, refuse));
    case 'workdir':
      return [`WORKDIR ${workdirPath(step.path, refuse)}`];
    case 'user':
      return [`USER ${user(step.user, refuse)}`];
    case 'shell':
      return [`SHELL ${shellForm(step.shell, refuse)}`];
    case 'volume':
      return [volumeLine(step.paths, refuse)];
    case 'manifests':
      // compile() replaces it by COPY steps (contexts/manifests.ts) before anything is emitted.
      throw new Error('internal: a manifests step reached the emitter unexpanded');
  }
}
