import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import { substitute } from './expressions';
import type { Head } from './head';
import { mergeEntries, nullDeletes, type MapValue, type MergedEntry } from './merge';
import type { Entry, ResolvedService, ResolvedStage, ServiceDependency } from './model';
import { orderStages } from './order';
import { resolveRef } from './refs';
import { checkSyntax } from './syntax';
import { checkVariables, usedGlobalArgs, variableUses, withRedeclaredArgs } from './variables';
import { checkRelativeWorkdirs } from './workdir';
import { reportUnknownVars } from './vars';
import { checkSecretSources, resolveBuild } from './build';
import type { StageShare } from './shared';

/** A service's stages: config inheritance merged, expressions substituted, references resolved, ordered. */
export function resolveService(
  ctx: ResolveContext,
  head: Head,
  heads: ReadonlyMap<string, Head>,
  share: StageShare,
  maps: ServiceMaps,
): ResolvedService {
  let dependsOn: Map<string, ServiceDependency> | undefined;
  const ref = (value: unknown, at: YamlPath) => {
    const resolved = resolveRef(ctx, value, at, head, heads);
    if (resolved?.kind === 'service') (dependsOn ??= new Map()).set(`${resolved.service}:${resolved.stage}`, resolved);
    return resolved;
  };
  const stages: ResolvedStage[] = [];
  for (let i = 0; i < head.stageNames.length; i++) {
    const name = head.stageNames[i]!;
    // A pipeline's stage the service does not override is resolved once for all such services.
    const stage =
      head.pipeline !== undefined && head.raw.stages?.[name] === undefined
        ? share.adopted(ctx, head, name, ref)
        : share.overridden(ctx, head, name, ref);
    if (stage) stages.push(stage);
  }
  // Building: each step returns new stages. Checking, after: reads them, reports, changes nothing.
  const allGlobalArgs = globalArgsOf(ctx, head, maps);
  const labelled = withServiceLabels(ctx, head, orderStages(ctx, head.name, stages, head.target), maps);
  const used = variableUses(labelled, share.uses);
  const ordered = withRedeclaredArgs(labelled, allGlobalArgs, used);
  checkVariables(ctx, head.name, ordered, allGlobalArgs, used);
  checkRelativeWorkdirs(ctx, ordered);
  const globalArgs = usedGlobalArgs(ctx, head, ordered, allGlobalArgs);
  checkSyntax(ctx, head.syntax, ordered);
  const build = resolveBuild(ctx, head);
  checkSecretSources(ctx, head.name, ordered, build);
  // One literal, so the type checks every field is set; key order is the model's JSON's.
  return {
    name: head.name,
    origin: { path: ['services', head.name], chain: [] },
    // Expressions work here as in any string: a header may name ${{ service.name }}.
    // (head.scope() is made on first call: only for a text that holds an expression.)
    ...(head.raw.description ? { description: withScope(head, head.raw.description) } : {}),
    ...(ctx.config.header !== undefined ? { header: withScope(head, ctx.config.header) } : {}),
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
    dependsOn: dependsOn
      ? [...dependsOn.values()].sort((a, b) => a.service.localeCompare(b.service) || a.stage.localeCompare(b.stage))
      : [],
    build,
    own: { image: head.raw.image !== undefined || head.raw.registry !== undefined, tag: head.raw.tag !== undefined },
  };
}

const withScope = (head: Head, text: string): string => (text.includes('${{') ? substitute(text, head.scope()) : text);

type MapSource = [Readonly<Record<string, MapValue>> | null | undefined, YamlPath, boolean];

/**
 * Service-level maps merged in order (top-level args, defaults, pipeline, service); null deletes
 * (except at the top, where it means "no default"). Values see the service-level scope.
 *
 * The layers below the service's own are the same for every service of a pipeline: merged once
 * per run (`ServiceMaps`), with their origins. A value without an expression is the same text in
 * every service, so its entry is kept as it is; only one holding `${{ }}` is checked and
 * substituted per service, in the same order as before.
 */
function mergedMap(
  ctx: ResolveContext,
  head: Head,
  inherited: MergedEntry[],
  map: MapSource[0],
  field: 'args' | 'labels',
  deletes: boolean,
): Entry[] {
  let merged = inherited;
  if (map) {
    const path = ['services', head.name, field];
    const out = new Map(inherited.map((e) => [e.key, e]));
    mergeEntries(out, map, (key) => ({ path: [...path, key], chain: [path.join('.')] }), deletes);
    merged = [...out.values()];
  }
  let entries: Entry[] | undefined;
  for (let i = 0; i < merged.length; i++) {
    const e = merged[i]!;
    if (e.value === null || (typeof e.value === 'string' && !e.value.includes('${{'))) {
      entries?.push(e as Entry);
      continue;
    }
    entries ??= merged.slice(0, i) as Entry[];
    const text = ctx.text(e.value, e.origin.path);
    reportUnknownVars(ctx, text, e.origin.path, head.scope(), head.name);
    entries.push({ key: e.key, value: substitute(text, head.scope()), origin: e.origin });
  }
  return entries ?? (merged as Entry[]);
}

/** The service-independent layers of the service-level maps, merged once per pipeline (see mergedMap). */
export class ServiceMaps {
  private readonly merged = new Map<string, MergedEntry[]>();
  /** A shared target stage with the shared inherited labels: the same labelled stage for every such service. */
  private readonly labelled = new Map<MergedEntry[], Map<ResolvedStage, ResolvedStage>>();

  inherited(kind: 'args' | 'labels', sources: () => MapSource[], pipeline: string | undefined): MergedEntry[] {
    const key = `${kind}\0${pipeline ?? ''}`;
    let list = this.merged.get(key);
    if (!list) {
      const out = new Map<string, MergedEntry>();
      for (const [map, path, deletes] of sources())
        mergeEntries(out, map, (k) => ({ path: [...path, k], chain: [path.join('.')] }), deletes);
      this.merged.set(key, (list = [...out.values()]));
    }
    return list;
  }

  withLabels(target: ResolvedStage, inherited: Entry[], labels: Entry[]): ResolvedStage {
    let stages = this.labelled.get(inherited);
    if (!stages) this.labelled.set(inherited, (stages = new Map()));
    let stage = stages.get(target);
    if (!stage) stages.set(target, (stage = { ...target, labels }));
    return stage;
  }
}

const pipelineOf = (ctx: ResolveContext, head: Head) => (head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined);

function globalArgsOf(ctx: ResolveContext, head: Head, maps: ServiceMaps): Entry[] {
  const inherited = maps.inherited(
    'args',
    () => [
      [ctx.config.args, ['args'], nullDeletes('args', 'global')],
      [ctx.config.defaults?.args, ['defaults', 'args'], nullDeletes('args', 'service')],
      [pipelineOf(ctx, head)?.args, ['pipelines', head.pipeline ?? '', 'args'], nullDeletes('args', 'service')],
    ],
    head.pipeline,
  );
  return mergedMap(ctx, head, inherited, head.raw.args, 'args', nullDeletes('args', 'service'));
}

/** defaults.labels, the pipeline's and the service's labels go on the final stage, under the stage's own labels. */
function withServiceLabels(ctx: ResolveContext, head: Head, stages: readonly ResolvedStage[], maps: ServiceMaps): ResolvedStage[] {
  const target = stages.find((s) => s.name === head.target);
  if (!target) return [...stages];
  const shared = maps.inherited(
    'labels',
    () => [
      [ctx.config.defaults?.labels, ['defaults', 'labels'], nullDeletes('labels', 'service')],
      [pipelineOf(ctx, head)?.labels, ['pipelines', head.pipeline ?? '', 'labels'], nullDeletes('labels', 'service')],
    ],
    head.pipeline,
  );
  const values = mergedMap(ctx, head, shared, head.raw.labels, 'labels', nullDeletes('labels', 'service'));
  // Label keys may hold expressions too: an entry is copied only when its key changes.
  let inherited = values;
  for (let i = 0; i < values.length; i++) {
    const l = values[i]!;
    const key = l.key.includes('${{') ? substitute(l.key, head.scope()) : l.key;
    if (key !== l.key) (inherited = inherited === values ? [...values] : inherited)[i] = { ...l, key };
  }
  const own = new Set(target.labels.map((l) => l.key));
  const labels = [...inherited.filter((l) => !own.has(l.key)), ...target.labels];
  // Inherited labels the same for every service of the pipeline (no expression, none of its own): so is the labelled stage.
  const labelled = inherited === (shared as Entry[]) ? maps.withLabels(target, inherited, labels) : { ...target, labels };
  return stages.map((s) => (s === target ? labelled : s));
}
