import type { ResolveContext } from './context';
import type { YamlPath } from '../load';
import type { ResolvedStage } from './model';

/** Absolute on Linux or Windows, or starting with a variable (its value decides). */
const isAbsolute = (path: string): boolean => /^(\/|\$|[A-Za-z]:[\\/])/.test(path);

type Workdir = { path: string; at: YamlPath };
const NO_WORKDIRS: Workdir[] = [];
function workdirsOf(stage: ResolvedStage): Workdir[] {
  let found: Workdir[] | undefined = stage.workdir ? [{ path: stage.workdir.value, at: stage.workdir.origin.path }] : undefined;
  for (let i = 0; i < stage.steps.length; i++) {
    const { value: s, origin } = stage.steps[i]!;
    if (s.kind === 'workdir') (found ??= []).push({ path: s.path, at: [...origin.path, 'workdir'] });
  }
  // Most stages set no WORKDIR step: one shared empty list, not an array per stage of every service.
  return found ?? NO_WORKDIRS;
}

/**
 * docs/language.md, "Stages": a relative WORKDIR is emitted as written; it is a warning only where no absolute
 * WORKDIR precedes it in the stage's chain within the file (FROM <stage> parents first), since
 * its meaning then depends on the base image, as BuildKit's WorkdirRelativePath check says.
 */
export function checkRelativeWorkdirs(ctx: ResolveContext, stages: readonly ResolvedStage[]): void {
  // Only a relative WORKDIR can be reported: without one, no chain needs walking (the usual case).
  if (!stages.some((stage) => workdirsOf(stage).some((w) => !isAbsolute(w.path)))) return;
  const byName = new Map(stages.map((s) => [s.name, s]));
  const settled = new Map<string, boolean>();
  const absoluteAfter = (stage: ResolvedStage, visiting: Set<string>): boolean => {
    const known = settled.get(stage.name);
    if (known !== undefined) return known;
    const base = stage.base.value;
    const parent = base.kind === 'stage' ? byName.get(base.stage) : undefined;
    visiting.add(stage.name);
    let absolute = parent && !visiting.has(parent.name) ? absoluteAfter(parent, visiting) : false;
    for (const { path, at } of workdirsOf(stage)) {
      if (isAbsolute(path)) absolute = true;
      else if (!absolute) {
        ctx.report(
          'RELATIVE_WORKDIR',
          `WORKDIR "${path}" is relative and no absolute WORKDIR precedes it in stage "${stage.name}": its meaning depends on the base image`,
          at,
          {
            severity: 'warning',
            hint: `set an absolute workdir first, or use "/${path.replace(/^\.\/?/, '')}"`,
          },
        );
      }
    }
    settled.set(stage.name, absolute);
    return absolute;
  };
  for (const stage of stages) absoluteAfter(stage, new Set());
}
