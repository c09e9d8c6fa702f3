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
    for (const edge of stageDependencies(stage)) {
      if (state.get(edge.stage) === 'visiting') {
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
      visit(edge.stage);
    }
    stack.pop();
    state.set(name, 'done');
    out.push(stage);
  };
  for (const stage of stages) if (stage.name !== target) visit(stage.name);
  if (state.get(target) === 'done') {
    const dependent = stages.find((s) => s.name !== target && stageDependencies(s).some((e) => e.stage === target));
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
