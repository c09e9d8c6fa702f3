import type { Command, Healthcheck, Origin, ResolvedService, ResolvedStage, StageRef, Step, Traced } from '../resolve';
import { copyContentLines, onbuildLines, runLines, volumeLine } from './forms';
import { headerLines } from './header';
import { jsonArray, keyValue, pathArguments, quoteKey, quoteValue } from './quote';

export interface EmittedLine {
  text: string;
  /** Where in stages.yaml the line comes from; absent for the header and blank lines. */
  origin?: Origin;
}

export interface EmittedDockerfile {
  service: string;
  /** Workspace-relative path of the Dockerfile. */
  path: string;
  text: string;
  lines: EmittedLine[];
}

export { GENERATED_MARKER, isGenerated } from './header';

const baseName = (ref: StageRef): string => (ref.kind === 'stage' ? ref.stage : ref.image);

/** Phase 5: a resolved service to its Dockerfile text, each line keeping its origin. Pure and byte-stable. */
export function emitDockerfile(service: ResolvedService, configName = 'stages.yaml'): EmittedDockerfile {
  const lines: EmittedLine[] = [];
  const push = (text: string, origin?: Origin): void => {
    lines.push(origin ? { text, origin } : { text });
  };
  if (service.syntax) push(`# syntax=${service.syntax}`);
  for (const line of headerLines(service, configName)) push(line);
  if (service.globalArgs.length > 0) {
    push('');
    for (const arg of service.globalArgs) push(arg.value === null ? `ARG ${arg.key}` : `ARG ${keyValue(arg.key, arg.value)}`, arg.origin);
  }
  for (const stage of service.stages) {
    push('');
    emitStage(stage, push);
  }
  return { service: service.name, path: service.dockerfile, text: `${lines.map((l) => l.text).join('\n')}\n`, lines };
}

type Push = (text: string, origin?: Origin) => void;

function emitStage(stage: ResolvedStage, push: Push): void {
  if (stage.description) for (const line of stage.description.value.trimEnd().split('\n')) push(`# ${line}`.trimEnd(), stage.description.origin);
  const platform = stage.platform ? `--platform=${stage.platform.value} ` : '';
  push(`FROM ${platform}${baseName(stage.base.value)} AS ${stage.name}`, stage.base.origin);
  for (const name of stage.redeclared) push(`ARG ${name}`, stage.origin);
  for (const arg of stage.args) push(arg.value === null ? `ARG ${arg.key}` : `ARG ${keyValue(arg.key, arg.value)}`, arg.origin);
  for (const env of stage.env) push(`ENV ${keyValue(env.key, env.value ?? '')}`, env.origin);
  if (stage.workdir) push(`WORKDIR ${stage.workdir.value}`, stage.workdir.origin);
  if (stage.shell) push(`SHELL ${jsonArray(stage.shell.value)}`, stage.shell.origin);
  for (const step of stage.steps) for (const text of stepLines(step)) push(text, step.origin);
  if (stage.expose) push(`EXPOSE ${stage.expose.value.join(' ')}`, stage.expose.origin);
  if (stage.volumes) push(`VOLUME ${jsonArray(stage.volumes.value)}`, stage.volumes.origin);
  for (const label of stage.labels) push(`LABEL ${quoteKey(label.key)}=${quoteValue(label.value ?? '')}`, label.origin);
  if (stage.user) push(`USER ${stage.user.value}`, stage.user.origin);
  if (stage.healthcheck) push(healthcheck(stage.healthcheck.value), stage.healthcheck.origin);
  if (stage.stopsignal) push(`STOPSIGNAL ${stage.stopsignal.value}`, stage.stopsignal.origin);
  if (stage.entrypoint) push(`ENTRYPOINT ${command(stage.entrypoint.value)}`, stage.entrypoint.origin);
  if (stage.cmd) push(`CMD ${command(stage.cmd.value)}`, stage.cmd.origin);
  for (const step of stage.onbuild) for (const text of onbuildLines(stepLines(step))) push(text, step.origin);
}

const command = (c: Command): string => (Array.isArray(c) ? jsonArray(c) : c);

function healthcheck(h: Healthcheck | 'none'): string {
  if (h === 'none') return 'HEALTHCHECK NONE';
  const flags = [
    h.interval && `--interval=${h.interval}`,
    h.timeout && `--timeout=${h.timeout}`,
    h.startPeriod && `--start-period=${h.startPeriod}`,
    h.startInterval && `--start-interval=${h.startInterval}`,
    h.retries !== undefined && `--retries=${h.retries}`,
  ].filter(Boolean);
  return `HEALTHCHECK ${flags.map((f) => `${f} `).join('')}CMD ${command(healthTest(h.test))}`;
}

/** Compose-style tests (`[CMD, curl, ...]`, `[CMD-SHELL, "curl ..."]`) mean what Docker's HEALTHCHECK CMD means. */
function healthTest(test: Command): Command {
  if (!Array.isArray(test)) return test;
  if (test[0] === 'CMD') return test.slice(1);
  if (test[0] === 'CMD-SHELL') return test.slice(1).join(' ');
  return test;
}

function stepLines({ value: step }: Traced<Step>): string[] {
  switch (step.kind) {
    case 'run':
      return runLines(step);
    case 'copy':
    case 'add': {
      const flags: string[] = [];
      if (step.kind === 'copy' && step.from) flags.push(`--from=${baseName(step.from)}`);
      if (step.kind === 'add' && step.checksum) flags.push(`--checksum=${step.checksum}`);
      if (step.kind === 'add' && step.keepGitDir) flags.push('--keep-git-dir=true');
      if (step.chown) flags.push(`--chown=${step.chown}`);
      if (step.chmod) flags.push(`--chmod=${step.chmod}`);
      if (step.link) flags.push('--link');
      if (step.kind === 'copy' && step.parents) flags.push('--parents');
      if (step.kind === 'copy') for (const pattern of step.exclude) flags.push(`--exclude=${pattern}`);
      if (step.kind === 'copy' && step.content !== undefined) return copyContentLines(flags, step.content, step.dest);
      const instruction = step.kind === 'copy' ? 'COPY' : 'ADD';
      return [[instruction, ...flags, pathArguments([...step.sources, step.dest])].join(' ')];
    }
    case 'env':
      return step.entries.map((e) => `ENV ${keyValue(e.key, e.value ?? '')}`);
    case 'arg':
      return step.entries.map((e) => (e.value === null ? `ARG ${e.key}` : `ARG ${keyValue(e.key, e.value)}`));
    case 'workdir':
      return [`WORKDIR ${step.path}`];
    case 'user':
      return [`USER ${step.user}`];
    case 'shell':
      return [`SHELL ${jsonArray(step.shell)}`];
    case 'volume':
      return [volumeLine(step.paths)];
  }
}
