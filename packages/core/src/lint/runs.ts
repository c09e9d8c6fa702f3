import type { SourceIndex, YamlPath } from '../load';
import type { Origin, ResolvedService, ResolvedStage, Step } from '../resolve';
import { simpleCommands, type SimpleCommand } from './shell';

type RunStep = Extract<Step, { kind: 'run' }>;

/** A shell-form RUN of a service, with what the rules need to judge it. */
export interface Run {
  stage: ResolvedStage;
  step: RunStep;
  origin: Origin;
  /** Each command as written (a `commands` list item, or the whole `command`), with its simple commands. */
  scripts: { text: string; path: YamlPath; commands: SimpleCommand[] }[];
  /** Every simple command of the RUN, in order: `&&`-joined list items run as one script. */
  commands: SimpleCommand[];
}

/** The YAML path of a run's i-th command: `run`, `run.i`, `run.command` or `run.commands.i`, whichever was written. */
function commandPath(source: SourceIndex, step: YamlPath, index: number, count: number): YamlPath {
  const candidates: YamlPath[] = [
    [...step, 'run', 'commands', index],
    ...(index === 0 ? [[...step, 'run', 'command']] : []),
    [...step, 'run', index],
    ...(count === 1 ? [[...step, 'run']] : []),
  ];
  return candidates.find((p) => source.scalarText(p) !== undefined) ?? [...step, 'run'];
}

// A dozen rules read the same RUNs of the same service; a shared template's script is parsed once.
const runsOf = new WeakMap<ResolvedService, Run[]>();
const parsed = new Map<string, SimpleCommand[]>();
const commandsOf = (text: string): SimpleCommand[] => {
  let commands = parsed.get(text);
  if (!commands) {
    commands = simpleCommands(text);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, commands);
  }
  return commands;
};

/** Shell-form RUNs only: exec form has no shell, so shell rules do not apply to it. */
export function shellRuns(service: ResolvedService, source: SourceIndex): Run[] {
  const cached = runsOf.get(service);
  if (cached) return cached;
  const out: Run[] = [];
  for (const stage of service.stages) {
    for (const { value: step, origin } of stage.steps) {
      if (step.kind !== 'run' || ('exec' in step && step.exec)) continue;
      const scripts = step.commands.map((text, i) => ({
        text,
        path: commandPath(source, origin.path, i, step.commands.length),
        commands: commandsOf(text),
      }));
      out.push({ stage, step, origin, scripts, commands: scripts.flatMap((s) => s.commands) });
    }
  }
  runsOf.set(service, out);
  return out;
}

/** The first script holding a command for which `test` holds, with that command. */
export function findCommand(run: Run, test: (c: SimpleCommand) => boolean): { script: Run['scripts'][number]; command: SimpleCommand } | undefined {
  for (const script of run.scripts) {
    const command = script.commands.find(test);
    if (command) return { script, command };
  }
  return undefined;
}

/** True when a cache (or tmpfs) mount of the RUN covers `folder` (or a folder inside it, e.g. pip's cache under /root/.cache). */
export function mountCovers(run: Run, test: (target: string) => boolean): boolean {
  return run.step.mounts.some((m) => (m.type === 'cache' || m.type === 'tmpfs') && m.target !== undefined && test(m.target.replace(/\/+$/, '')));
}

/** The text to underline for a command: its program and first argument, as written. */
export const needle = (command: SimpleCommand, words = 2): string => command.argv.slice(0, words).join(' ');
