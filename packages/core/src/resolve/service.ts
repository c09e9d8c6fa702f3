import type { Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import type { ResolveContext } from './context';
import { substitute } from './expressions';
import type { Head } from './head';
import { expandLayers, type Layer, type RawStage } from './layers';
import { mergeLayers, substituteMerged, type MergedEntry, type MergedStage } from './merge';
import type { Entry, Healthcheck, ResolvedService, ResolvedStage, ServiceDependency, Step, Traced } from './model';
import { orderStages } from './order';
import { resolveRef } from './refs';
import { normalizeStep, type RefResolver } from './steps';
import { isHeredoc } from './syntax';
import { checkSyntax } from './syntax';
import { closest } from '../util/suggest';
import { scopeVariables, usedGlobalArgs } from './variables';
import { checkRelativeWorkdirs } from './workdir';

function stageLayers(ctx: ResolveContext, head: Head, stage: string): { layers: Layer[]; path: YamlPath; broken: boolean } {
  const fromPipeline = head.pipeline ? ctx.config.pipelines?.[head.pipeline]?.stages[stage] : undefined;
  const own = head.raw.stages?.[stage];
  const layers: Layer[] = [];
  let broken = false;
  const servicePath: YamlPath = ['services', head.name];
  if (fromPipeline) {
    const path = ['pipelines', head.pipeline!, 'stages', stage];
    const expanded = expandLayers(ctx, fromPipeline, path, [servicePath.join('.'), path.join('.')]);
    broken ||= Boolean(expanded.broken);
    layers.push(...expanded);
  }
  if (own) {
    const path = [...servicePath, 'stages', stage];
    const expanded = expandLayers(ctx, own as RawStage, path, [path.join('.')]);
    broken ||= Boolean(expanded.broken);
    layers.push(...expanded);
  }
  return { layers, broken, path: own ? [...servicePath, 'stages', stage] : ['pipelines', head.pipeline!, 'stages', stage] };
}

const entriesOf = (ctx: ResolveContext, merged: MergedEntry[]): Entry[] =>
  merged.map((e) => ({ key: e.key, value: e.value === null ? null : ctx.text(e.value, e.origin.path), origin: e.origin }));

function traced<T>(merged: MergedStage, field: keyof MergedStage['fields'], map: (v: unknown) => T = (v) => v as T): Traced<T> | undefined {
  const f = merged.fields[field];
  return f === undefined ? undefined : { value: map(f.value), origin: f.origin };
}

const strings = (v: unknown): string[] => (v as unknown[]).map(String);

/** A service's stages: config inheritance merged, expressions substituted, references resolved, ordered. */
export function resolveService(ctx: ResolveContext, head: Head, heads: ReadonlyMap<string, Head>): ResolvedService {
  const dependsOn = new Map<string, ServiceDependency>();
  const stages: ResolvedStage[] = [];
  for (const name of head.stageNames) {
    const { layers, path, broken } = stageLayers(ctx, head, name);
    const scope = { ...head.scope, 'stage.name': name };
    const merged = substituteMerged(mergeLayers(layers), scope);
    const ref = (value: unknown, at: YamlPath) => {
      const resolved = resolveRef(ctx, value, at, head, heads);
      if (resolved?.kind === 'service') dependsOn.set(`${resolved.service}:${resolved.stage}`, resolved);
      return resolved;
    };
    const from = merged.fields.from;
    if (from === undefined) {
      if (!broken) {
        // A service stage that its pipeline lacks is often a misspelt override.
        const pipelineStages = head.pipeline ? Object.keys(ctx.config.pipelines?.[head.pipeline]?.stages ?? {}) : [];
        const near = pipelineStages.includes(name) ? undefined : closest(name, pipelineStages);
        ctx.report('MISSING_FROM', `stage "${name}" of service "${head.name}" has no base: set from: (an image or a stage) here or in a template it extends`, path, {
          key: true,
          ...(near ? { hint: `did you mean "${near}", a stage of pipeline "${head.pipeline}"?` } : {}),
        });
      }
      continue;
    }
    const base = ref(from.value, from.origin.path);
    if (!base) continue;
    const steps = merged.steps.map(
      (s): Traced<ReturnType<typeof normalizeStep>> => ({
        value: normalizeStep(ctx, s.value as RawStep, s.origin.path, s.origin.chain, ref),
        origin: s.origin,
      }),
    );
    const onbuild = onbuildSteps(ctx, merged.fields.onbuild, ref);
    const description = traced<string>(merged, 'description');
    const platform = traced<string>(merged, 'platform');
    const workdir = traced<string>(merged, 'workdir');
    const shell = traced(merged, 'shell', strings);
    const expose = traced(merged, 'expose', strings);
    const volumes = traced(merged, 'volumes', strings);
    const user = traced<string>(merged, 'user');
    const healthcheck = traced<Healthcheck | 'none'>(merged, 'healthcheck');
    const stopsignal = traced<string>(merged, 'stopsignal');
    const entrypoint = traced<string | string[]>(merged, 'entrypoint');
    const cmd = traced<string | string[]>(merged, 'cmd');
    stages.push({
      name,
      origin: { path, chain: [] },
      base: { value: base, origin: from.origin },
      redeclared: [],
      args: entriesOf(ctx, merged.maps.args),
      env: entriesOf(ctx, merged.maps.env),
      labels: entriesOf(ctx, merged.maps.labels),
      steps,
      onbuild,
      ...(description && { description }),
      ...(platform && { platform }),
      ...(workdir && { workdir }),
      ...(shell && { shell }),
      ...(expose && { expose }),
      ...(volumes && { volumes }),
      ...(user && { user }),
      ...(healthcheck && { healthcheck }),
      ...(stopsignal && { stopsignal }),
      ...(entrypoint && { entrypoint }),
      ...(cmd && { cmd }),
    });
  }
  const ordered = orderStages(ctx, head.name, stages, head.target);
  addServiceLabels(ctx, head, ordered.find((s) => s.name === head.target));
  const allGlobalArgs = globalArgsOf(ctx, head);
  scopeVariables(ctx, ordered, allGlobalArgs);
  checkRelativeWorkdirs(ctx, ordered);
  const globalArgs = usedGlobalArgs(ctx, head, ordered, allGlobalArgs);
  const syntax = head.raw.syntax ?? ctx.config.defaults?.syntax;
  checkSyntax(ctx, syntax, ordered);
  const defaults = ctx.config.defaults ?? {};
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
    dockerfile: head.dockerfile,
    image: head.image,
    tag: head.tag,
    ...(syntax ? { syntax } : {}),
    platforms: head.raw.platforms ?? defaults.platforms ?? [],
    globalArgs,
    dependsOn: [...dependsOn.values()].sort((a, b) => a.service.localeCompare(b.service) || a.stage.localeCompare(b.stage)),
  };
}

/** ONBUILD triggers: steps like the body's, except that a heredoc cannot be nested in ONBUILD. */
function onbuildSteps(ctx: ResolveContext, field: Traced<unknown> | undefined, ref: RefResolver): Traced<Step>[] {
  if (!field) return [];
  return (field.value as RawStep[]).map((raw, i) => {
    const origin = { path: [...field.origin.path, i], chain: field.origin.chain };
    const step = normalizeStep(ctx, raw, origin.path, origin.chain, ref);
    if (isHeredoc(step)) {
      ctx.report('INVALID_VALUE', 'ONBUILD cannot hold a heredoc (a multi-line run, an interpreter or copy content): BuildKit reads heredocs only in RUN, COPY and ADD themselves', origin.path, {
        hint: 'put the script in a file and COPY it, or RUN it as one line',
      });
    }
    return { value: step, origin };
  });
}

/** Maps merged in order: top-level args, defaults.args, the service's args; null deletes (except at the top, where it means "no default"). */
function mergedMap(ctx: ResolveContext, sources: [Record<string, unknown> | undefined, YamlPath, boolean][]): Entry[] {
  const out = new Map<string, Entry>();
  for (const [map, path, nullDeletes] of sources) {
    for (const [key, value] of Object.entries(map ?? {})) {
      if (value === null && nullDeletes) out.delete(key);
      else out.set(key, { key, value: value === null ? null : ctx.text(value, [...path, key]), origin: { path: [...path, key], chain: [path.join('.')] } });
    }
  }
  return [...out.values()];
}

function globalArgsOf(ctx: ResolveContext, head: Head): Entry[] {
  return mergedMap(ctx, [
    [ctx.config.args, ['args'], false],
    [ctx.config.defaults?.args, ['defaults', 'args'], true],
    [head.raw.args, ['services', head.name, 'args'], true],
  ]);
}

/** defaults.labels and the service's labels go on the final stage, under the stage's own labels. */
function addServiceLabels(ctx: ResolveContext, head: Head, target: ResolvedStage | undefined): void {
  if (!target) return;
  const inherited = mergedMap(ctx, [
    [ctx.config.defaults?.labels, ['defaults', 'labels'], true],
    [head.raw.labels, ['services', head.name, 'labels'], true],
  ]);
  const own = new Set(target.labels.map((l) => l.key));
  target.labels = [...substitute(inherited, head.scope).filter((l) => !own.has(l.key)), ...target.labels];
}
