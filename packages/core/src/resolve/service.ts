import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import { substitute } from './expressions';
import type { Head } from './head';
import { mergeEntries, nullDeletes, type MapValue, type MergedEntry } from './merge';
import type { Entry, ResolvedService, ResolvedStage, ServiceDependency } from './model';
import { orderStages } from './order';
import { resolveRef } from './refs';
import { checkSyntax } from './syntax';
import { checkVariables, usedGlobalArgs, withRedeclaredArgs } from './variables';
import { checkRelativeWorkdirs } from './workdir';
import { reportUnknownVars } from './vars';
import { checkSecretSources, resolveBuild } from './build';
import type { StageShare } from './shared';

/** A service's stages: config inheritance merged, expressions substituted, references resolved, ordered. */
export function resolveService(ctx: ResolveContext, head: Head, heads: ReadonlyMap<string, Head>, share: StageShare): ResolvedService {
  const dependsOn = new Map<string, ServiceDependency>();
  const ref = (value: unknown, at: YamlPath) => {
    const resolved = resolveRef(ctx, value, at, head, heads);
    if (resolved?.kind === 'service') dependsOn.set(`${resolved.service}:${resolved.stage}`, resolved);
    return resolved;
  };
  const stages: ResolvedStage[] = [];
  for (const name of head.stageNames) {
    // A pipeline's stage the service does not override is resolved once for all such services.
    const stage =
      head.pipeline !== undefined && head.raw.stages?.[name] === undefined
        ? share.adopted(ctx, head, name, ref)
        : share.overridden(ctx, head, name, ref);
    if (stage) stages.push(stage);
  }
  // Building: each step returns new stages. Checking, after: reads them, reports, changes nothing.
  const allGlobalArgs = globalArgsOf(ctx, head);
  const ordered = withRedeclaredArgs(withServiceLabels(ctx, head, orderStages(ctx, head.name, stages, head.target)), allGlobalArgs);
  checkVariables(ctx, head.name, ordered, allGlobalArgs);
  checkRelativeWorkdirs(ctx, ordered);
  const globalArgs = usedGlobalArgs(ctx, head, ordered, allGlobalArgs);
  checkSyntax(ctx, head.syntax, ordered);
  const build = resolveBuild(ctx, head);
  checkSecretSources(ctx, head.name, ordered, build);
  return {
    name: head.name,
    origin: { path: ['services', head.name], chain: [] },
    // Expressions work here as in any string: a header may name ${{ service.name }}.
    ...(head.raw.description ? { description: substitute(head.raw.description, head.scope) } : {}),
    ...(ctx.config.header !== undefined ? { header: substitute(ctx.config.header, head.scope) } : {}),
    path: head.path,
    ...(head.pipeline ? { pipeline: head.pipeline } : {}),
    stages: ordered,
    target: head.target,
    context: head.context,
    ...(head.contextOptions ? { contextOptions: head.contextOptions } : {}),
    dockerfile: head.dockerfile,
    image: head.image,
    tag: head.tag,
    ...(head.syntax ? { syntax: head.syntax } : {}),
    platforms: head.platforms,
    globalArgs,
    dependsOn: [...dependsOn.values()].sort((a, b) => a.service.localeCompare(b.service) || a.stage.localeCompare(b.stage)),
    build,
    own: { image: head.raw.image !== undefined || head.raw.registry !== undefined, tag: head.raw.tag !== undefined },
  };
}

type MapSource = [Readonly<Record<string, MapValue>> | undefined, YamlPath, boolean];

/**
 * Service-level maps merged in order (top-level args, defaults, pipeline, service); null deletes
 * (except at the top, where it means "no default"). Values see the service-level scope.
 */
function mergedMap(ctx: ResolveContext, head: Head, sources: MapSource[]): Entry[] {
  const out = new Map<string, MergedEntry>();
  for (const [map, path, deletes] of sources) {
    mergeEntries(out, map, (key) => ({ path: [...path, key], chain: [path.join('.')] }), deletes);
  }
  return [...out.values()].map((e) => {
    const text = e.value === null ? null : ctx.text(e.value, e.origin.path);
    if (text !== null) reportUnknownVars(ctx, text, e.origin.path, head.scope, head.name);
    return { key: e.key, value: text === null ? null : substitute(text, head.scope), origin: e.origin };
  });
}

const pipelineOf = (ctx: ResolveContext, head: Head) => (head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined);

function globalArgsOf(ctx: ResolveContext, head: Head): Entry[] {
  return mergedMap(ctx, head, [
    [ctx.config.args, ['args'], nullDeletes('args', 'global')],
    [ctx.config.defaults?.args, ['defaults', 'args'], nullDeletes('args', 'service')],
    [pipelineOf(ctx, head)?.args, ['pipelines', head.pipeline ?? '', 'args'], nullDeletes('args', 'service')],
    [head.raw.args, ['services', head.name, 'args'], nullDeletes('args', 'service')],
  ]);
}

/** defaults.labels, the pipeline's and the service's labels go on the final stage, under the stage's own labels. */
function withServiceLabels(ctx: ResolveContext, head: Head, stages: readonly ResolvedStage[]): ResolvedStage[] {
  const target = stages.find((s) => s.name === head.target);
  if (!target) return [...stages];
  const inherited = mergedMap(ctx, head, [
    [ctx.config.defaults?.labels, ['defaults', 'labels'], nullDeletes('labels', 'service')],
    [pipelineOf(ctx, head)?.labels, ['pipelines', head.pipeline ?? '', 'labels'], nullDeletes('labels', 'service')],
    [head.raw.labels, ['services', head.name, 'labels'], nullDeletes('labels', 'service')],
  ]).map((l) => ({ ...l, key: substitute(l.key, head.scope) }));
  const own = new Set(target.labels.map((l) => l.key));
  const labels = [...inherited.filter((l) => !own.has(l.key)), ...target.labels];
  return stages.map((s) => (s === target ? { ...s, labels } : s));
}
