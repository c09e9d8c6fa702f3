import type { Diagnostic } from '../diagnostics';
import type { StagecStagesYaml } from '../generated/types';
import type { SourceIndex, YamlPath } from '../load';
import { checkEditShapes } from './edit';
import { checkServiceName, checkStageName, checkString } from './checks';
import { ResolveContext } from './context';
import { checkExpression } from './expressions';
import { forEachString } from '../util/walk';
import { serviceHead, type Head } from './head';
import { expandLayers } from './layers';
import type { ResolvedProject, ResolvedService } from './model';
import { resolveService, ServiceMaps } from './service';
import { StageShare } from './shared';

export interface Resolved {
  project: ResolvedProject;
  diagnostics: Diagnostic[];
}

/** Phase 3: config inheritance, pipelines, services, references, expressions, order. Pure. */
export function resolve(config: StagecStagesYaml, source: SourceIndex): Resolved {
  const ctx = new ResolveContext(config, source);
  // One walk over every string of the document for both checks.
  for (const key of ['header', 'vars', 'args', 'defaults', 'stages', 'pipelines', 'services'] as const) {
    forEachString(config[key], [key], (text, at) => {
      // Both return at once for a string without a newline or an expression: most strings.
      if (text.includes('\n')) checkString(ctx, text, at);
      if (text.includes('${{')) checkExpression(ctx, text, at);
    });
  }
  // Templates are checked even when no service uses them yet.
  for (const [name, stage] of Object.entries(config.stages ?? {})) {
    if (!stage) continue;
    expandLayers(ctx, stage, ['stages', name], [`stages.${name}`]);
    checkEditShapes(ctx, stage, ['stages', name]);
  }
  for (const [name, pipeline] of Object.entries(config.pipelines ?? {})) {
    for (const [stage, raw] of Object.entries(pipeline.stages)) {
      checkStageName(ctx, stage, ['pipelines', name, 'stages', stage]);
      if (raw) checkEditShapes(ctx, raw, ['pipelines', name, 'stages', stage]);
    }
  }
  for (const [name, service] of Object.entries(config.services ?? {})) {
    for (const [stage, raw] of Object.entries(service.stages ?? {}))
      if (raw) checkEditShapes(ctx, raw, ['services', name, 'stages', stage]);
  }

  const heads = new Map<string, Head>();
  for (const name of Object.keys(config.services ?? {}).sort()) {
    const raw = config.services![name]!;
    if (!checkServiceName(ctx, name)) continue;
    const stageNamesOk = Object.keys(raw.stages ?? {}).every((s) => checkStageName(ctx, s, ['services', name, 'stages', s]));
    if (!stageNamesOk) continue;
    const head = serviceHead(ctx, name, raw);
    if (head) heads.set(name, head);
  }
  checkDuplicateDockerfiles(ctx, [...heads.values()]);

  const share = new StageShare();
  const maps = new ServiceMaps();
  const services = [...heads.values()].map((head) => resolveService(ctx, head, heads, share, maps));
  checkServiceCycles(ctx, services);
  const { registry, tag } = config.defaults ?? {};
  return {
    project: { services, defaults: { ...(registry !== undefined ? { registry } : {}), ...(tag !== undefined ? { tag } : {}) } },
    diagnostics: ctx.diagnostics,
  };
}

function checkDuplicateDockerfiles(ctx: ResolveContext, heads: Head[]): void {
  const owners = new Map<string, string>();
  for (const head of heads) {
    const owner = owners.get(head.dockerfile);
    if (owner === undefined) {
      owners.set(head.dockerfile, head.name);
      continue;
    }
    const at: YamlPath = head.raw.dockerfile !== undefined ? ['services', head.name, 'dockerfile'] : ['services', head.name, 'path'];
    ctx.report('DUPLICATE_DOCKERFILE', `services "${owner}" and "${head.name}" would both write ${head.dockerfile}`, at, {
      hint: 'give one of them its own dockerfile:',
      related: [{ path: ['services', owner], key: true, message: `service "${owner}" is here` }],
    });
  }
}

/** Cross-service FROM / COPY --from must form a DAG: the builds run in that order. */
function checkServiceCycles(ctx: ResolveContext, services: ResolvedService[]): void {
  const byName = new Map(services.map((s) => [s.name, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (state.get(name) === 'done') return;
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (state.get(dep.service) === 'visiting') {
        const members = stack.slice(stack.indexOf(dep.service));
        if (ctx.once(`service-cycle:${[...members].sort().join(',')}`)) {
          ctx.report(
            'SERVICE_CYCLE',
            `services build on each other in a cycle: ${[...members, dep.service].join(' -> ')}`,
            ['services', name],
            { key: true },
          );
        }
      } else visit(dep.service);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const s of services) visit(s.name);
}
