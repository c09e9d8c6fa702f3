import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import type { ResolvedStage } from './model';

interface Edge {
  stage: string;
  path: YamlPath;
}

/** The stages a stage needs defined before it: its FROM, COPY --from and bind-mount sources within the service. */
export function stageDependencies(stage: ResolvedStage): Edge[] {
  const edges: Edge[] = [];
  if (stage.base.value.kind === 'stage') edges.push({ stage: stage.base.value.stage, path: stage.base.origin.path });
  for (let i = 0; i < stage.steps.length; i++) {
    const step = stage.steps[i]!;
    const s = step.value;
    if (s.kind === 'copy' && s.from?.kind === 'stage') edges.push({ stage: s.from.stage, path: [...step.origin.path, 'copy', 'from'] });
    if (s.kind === 'run') {
      for (let j = 0; j < s.mounts.length; j++) {
        const m = s.mounts[j]!;
        if ((m.type === 'bind' || m.type === 'cache') && m.from?.kind === 'stage')
          edges.push({ stage: m.from.stage, path: step.origin.path });
      }
    }
  }
  return edges;
}

const NO_DEPENDENCIES: string[] = [];

/**
 * The stage names of stageDependencies, in its order, without the paths only a cycle report
 * reads: ordering runs for every service, and most stages depend on one stage or none.
 */
export function dependencyNames(stage: ResolvedStage): string[] {
  let names: string[] | undefined;
  if (stage.base.value.kind === 'stage') names = [stage.base.value.stage];
  for (let i = 0; i < stage.steps.length; i++) {
    const s = stage.steps[i]!.value;
    if (s.kind === 'copy' && s.from?.kind === 'stage') (names ??= []).push(s.from.stage);
    if (s.kind === 'run') {
      for (let j = 0; j < s.mounts.length; j++) {
        const m = s.mounts[j]!;
        if ((m.type === 'bind' || m.type === 'cache') && m.from?.kind === 'stage') (names ??= []).push(m.from.stage);
      }
    }
  }
  return names ?? NO_DEPENDENCIES;
}

/**
 * Dependency order (a stage is defined before it is referenced), the author's order otherwise,
 * and the target last so a plain `docker build` builds the default target. Cycles are reported
 * with the whole chain.
 */
export function orderStages(ctx: ResolveContext, service: string, stages: readonly ResolvedStage[], target: string): ResolvedStage[] {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: ResolvedStage[] = [];
  const stack: string[] = [];
  const visit = (name: string): void => {
    const stage = byName.get(name);
    if (!stage || state.get(name) === 'done') return;
    state.set(name, 'visiting');
    stack.push(name);
    const dependencies = dependencyNames(stage);
    for (let k = 0; k < dependencies.length; k++) {
      if (state.get(dependencies[k]!) === 'visiting') {
        const edge = stageDependencies(stage)[k]!;
        const members = stack.slice(stack.indexOf(edge.stage));
        if (ctx.once(`stage-cycle:${service}:${[...members].sort().join(',')}`)) {
          // `from: fluentd` in stage fluentd meant the image of that name, not the stage itself.
          const self = members.length === 1 && stage.base.value.kind === 'stage' && stage.base.value.stage === name;
          ctx.report('STAGE_CYCLE', `stages of service "${service}" form a cycle: ${[...members, edge.stage].join(' -> ')}`, edge.path, {
            ...(self ? { hint: `a stage cannot build FROM itself; for the image named "${name}", write from: {image: ${name}}` } : {}),
          });
        }
        continue;
      }
      visit(dependencies[k]!);
    }
    stack.pop();
    state.set(name, 'done');
    out.push(stage);
  };
  for (let i = 0; i < stages.length; i++) if (stages[i]!.name !== target) visit(stages[i]!.name);
  if (state.get(target) === 'done') {
    const dependent = stages.find((s) => s.name !== target && dependencyNames(s).includes(target));
    if (dependent) {
      const text = `stage "${dependent.name}" builds on the default target "${target}", so "${target}" cannot be the last stage; a plain docker build would build "${out.at(-1)?.name}"`;
      ctx.report('TARGET_NOT_LAST', text, dependent.origin.path, {
        severity: 'warning',
        key: true,
        hint: 'stagec build and the bake file always pass --target',
        service: { name: service, message: (s) => `${text} (${s})` },
      });
    }
  }
  visit(target);
  return out;
}
