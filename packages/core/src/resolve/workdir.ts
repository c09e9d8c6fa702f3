import type { ResolveContext } from './context';
import type { ResolvedStage } from './model';

/** Absolute on Linux or Windows, or starting with a variable (its value decides). */
const isAbsolute = (path: string): boolean => /^(\/|\$|[A-Za-z]:[\\/])/.test(path);

/**
 * DESIGN 10: a relative WORKDIR is emitted as written; it is a warning only where no absolute
 * WORKDIR precedes it in the stage's chain within the file (FROM <stage> parents first), since
 * its meaning then depends on the base image, as BuildKit's WorkdirRelativePath check says.
 */
export function checkRelativeWorkdirs(ctx: ResolveContext, stages: readonly ResolvedStage[]): void {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const settled = new Map<string, boolean>();
  const absoluteAfter = (stage: ResolvedStage, visiting: Set<string>): boolean => {
    const known = settled.get(stage.name);
    if (known !== undefined) return known;
    const base = stage.base.value;
    const parent = base.kind === 'stage' ? byName.get(base.stage) : undefined;
    visiting.add(stage.name);
    let absolute = parent && !visiting.has(parent.name) ? absoluteAfter(parent, visiting) : false;
    const workdirs = [
      ...(stage.workdir ? [{ path: stage.workdir.value, at: stage.workdir.origin.path }] : []),
      ...stage.steps.flatMap(({ value: s, origin }) => (s.kind === 'workdir' ? [{ path: s.path, at: [...origin.path, 'workdir'] }] : [])),
    ];
    for (const { path, at } of workdirs) {
      if (isAbsolute(path)) absolute = true;
      else if (!absolute) {
        ctx.report('RELATIVE_WORKDIR', `WORKDIR "${path}" is relative and no absolute WORKDIR precedes it in stage "${stage.name}": its meaning depends on the base image`, at, {
          severity: 'warning',
          hint: `set an absolute workdir first, or use "/${path.replace(/^\.\/?/, '')}"`,
        });
      }
    }
    settled.set(stage.name, absolute);
    return absolute;
  };
  for (const stage of stages) absoluteAfter(stage, new Set());
}
