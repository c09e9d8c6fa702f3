import type { Command, Healthcheck, Origin, ResolvedStage, Step, Traced } from '../resolve';
import { copyContentLines, onbuildLines, volumeLine } from './forms';
import { baseName } from './refs';
import { runLines } from './run';
import type { Sink } from './sink';
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
  type Refuse,
} from './tokens';

// One stage's instructions, in the fixed order of docs/language.md, each value through the token layer.

export const argLine = (key: string, value: string | null, refuse: Refuse): string =>
  value === null ? `ARG ${variableName(key, refuse, 'ARG')}` : `ARG ${envPair(key, value, refuse, 'ARG')}`;

export function emitStage(stage: ResolvedStage, out: Sink): void {
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
