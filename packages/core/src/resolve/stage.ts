import type { Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import { closest } from '../util/suggest';
import type { ResolveContext } from './context';
import type { Head } from './head';
import { expandLayers, type Layer, type RawStage } from './layers';
import { mergeLayers, type MergedEntry, type MergedStage } from './merge';
import type { Entry, ResolvedStage, Step, Traced } from './model';
import { isHeredoc } from './syntax';
import type { RefResolver } from './steps';
import { normalizeStep } from './steps';
import { expressionNames, namesAbove, stageScope, substituteStage } from './substitution';
import type { EditProblem } from './edit';

export interface StageLayers {
  layers: Layer[];
  /** The stage's own mapping: the service's override if any, else the pipeline's. */
  path: YamlPath;
  /** An `extends` could not be followed: later checks stay quiet rather than pile on. */
  broken: boolean;
}

/** A pipeline's stage and its templates; undefined when the pipeline has no such stage. */
export function pipelineStageLayers(ctx: ResolveContext, pipeline: string, stage: string): StageLayers | undefined {
  const raw = ctx.config.pipelines?.[pipeline]?.stages[stage];
  if (!raw) return undefined;
  const path = ['pipelines', pipeline, 'stages', stage];
  // No service hop in the chain (model.ts, Origin): the same layers serve every service of the pipeline.
  const layers = expandLayers(ctx, raw, path, [path.join('.')]);
  return { layers, broken: Boolean(layers.broken), path };
}

/** A service's override of a stage and its templates, on top of the pipeline's layers if any. */
export function ownStageLayers(ctx: ResolveContext, head: Head, stage: string, pipeline: StageLayers | undefined): StageLayers {
  const path = ['services', head.name, 'stages', stage];
  const own = expandLayers(ctx, head.raw.stages![stage] as RawStage, path, [path.join('.')]);
  return { layers: [...(pipeline?.layers ?? []), ...own], broken: Boolean(pipeline?.broken || own.broken), path };
}

/**
 * Building: the layers merged, the stage's vars and expressions substituted. Problems found on
 * the way (an unknown step id or var) are reported for this service, since both depend on it.
 */
export function mergeStage(
  ctx: ResolveContext,
  head: Head,
  name: string,
  layers: readonly Layer[],
  base?: { merged: MergedStage; layers: number; names: readonly string[] },
): MergedStage {
  // With a base, only the layers above it are merged, on top of it.
  const report = (problem: EditProblem): void => reportEditProblem(ctx, head, name, problem);
  const above = base ? layers.slice(base.layers) : layers;
  const merged = mergeLayers(above, report, base?.merged);
  // Most stages hold no ${{ }} at all: then there is nothing to check or substitute, and no scope to build.
  // Above a base, its names are known: only the (small) layers on top are walked.
  const names = base ? namesAbove(base.names, above) : expressionNames(merged);
  if (names.length === 0) return merged;
  return substituteStage(ctx, merged, stageScope(ctx, head, name, layers, merged, names));
}

/** An edit naming a step id the inherited steps lack: about this service, which brought the edit and the steps together. */
export function reportEditProblem(ctx: ResolveContext, head: Head, name: string, problem: EditProblem): void {
  const near = closest(problem.id, problem.known);
  ctx.report('UNKNOWN_STEP', `stage "${name}" of service "${head.name}" inherits no step with id "${problem.id}"`, problem.path, {
    hint: near
      ? `did you mean "${near}"?`
      : problem.known.length
        ? `its ids: ${problem.known.join(', ')}`
        : 'the inherited steps carry no ids: give the step an id: where it is written',
  });
}

/** Checking: a missing base (pointing at the `null` that removed it, if one did) and step ids used twice. */
export function checkMerged(ctx: ResolveContext, head: Head, name: string, merged: MergedStage, at: StageLayers): boolean {
  checkStepIds(ctx, name, merged.steps);
  if (merged.fields.from !== undefined) return true;
  if (merged.unset.from) {
    ctx.report(
      'MISSING_FROM',
      `stage "${name}" of service "${head.name}" has no base: "from: null" removes it, and every stage needs one`,
      merged.unset.from.path,
      {
        hint: 'set from: to an image or a stage instead',
      },
    );
    return false;
  }
  if (at.broken) return false;
  // A service stage that its pipeline lacks is often a misspelt override.
  const pipelineStages = head.pipeline ? Object.keys(ctx.config.pipelines?.[head.pipeline]?.stages ?? {}) : [];
  const near = pipelineStages.includes(name) ? undefined : closest(name, pipelineStages);
  ctx.report(
    'MISSING_FROM',
    `stage "${name}" of service "${head.name}" has no base: set from: (an image or a stage) here or in a template it extends`,
    at.path,
    {
      key: true,
      ...(near ? { hint: `did you mean "${near}", a stage of pipeline "${head.pipeline}"?` } : {}),
    },
  );
  return false;
}

function checkStepIds(ctx: ResolveContext, stage: string, steps: readonly Traced<RawStep>[]): void {
  const first = new Map<string, Traced<RawStep>>();
  for (const step of steps) {
    const id = step.value.id;
    if (id === undefined) continue;
    const seen = first.get(id);
    if (!seen) {
      first.set(id, step);
      continue;
    }
    const at = (s: Traced<RawStep>): YamlPath =>
      s.origin.path.at(-1) === 'with' || s.origin.path.at(-2) === 'with' ? s.origin.path : [...s.origin.path, 'id'];
    ctx.report('DUPLICATE_STEP_ID', `step id "${id}" is used twice in stage "${stage}": an edit could not tell them apart`, at(step), {
      hint: 'rename one',
      related: [{ path: at(seen), message: 'first used here' }],
    });
  }
}

/**
 * A merged entry whose value is already text (or null) is the resolved entry as it is: same
 * fields, never mutated. So is a list of only such entries, which is the usual case and saves a
 * copy of every map of every stage a service builds.
 */
function entriesOf(ctx: ResolveContext, merged: MergedEntry[]): Entry[] {
  const isText = (e: MergedEntry): e is Entry => e.value === null || typeof e.value === 'string';
  if (merged.every(isText)) return merged;
  return merged.map((e) => (isText(e) ? e : { key: e.key, value: ctx.text(e.value, e.origin.path), origin: e.origin }));
}

const strings = (v: readonly unknown[]): string[] => v.map(String);

/**
 * Steps already built in this run, by the merged step they were built from. A merged step is
 * one object for every service that inherits it unchanged (merges and substitution copy only
 * what they change), and what it builds to depends only on that object, unless building it
 * resolved a reference (a stage name means what the service's stages make it) or reported
 * something (then it is built again, so the report is made for each service as before).
 */
export type BuiltSteps = Map<Traced<RawStep>, Traced<Step>>;

function builtStep(ctx: ResolveContext, merged: Traced<RawStep>, ref: RefResolver, known: BuiltSteps | undefined): Traced<Step> {
  const found = known?.get(merged);
  if (found) return found;
  const before = ctx.reports;
  let resolved = false;
  const track: RefResolver = (value, at) => {
    resolved = true;
    return ref(value, at);
  };
  const step = { value: normalizeStep(ctx, merged.value, merged.origin.path, merged.origin.chain, track), origin: merged.origin };
  if (known && !resolved && ctx.reports === before) known.set(merged, step);
  return step;
}

/** A merged, checked stage to the resolved model; undefined when its base cannot be resolved. */
export function buildStage(
  ctx: ResolveContext,
  name: string,
  merged: MergedStage,
  path: YamlPath,
  ref: RefResolver,
  known?: BuiltSteps,
): ResolvedStage | undefined {
  const { fields } = merged;
  const from = fields.from!;
  const base = ref(from.value, from.origin.path);
  if (!base) return undefined;
  const steps = merged.steps.map((s) => builtStep(ctx, s, ref, known));
  const onbuild = onbuildSteps(ctx, fields.onbuild, ref);
  // An empty expose or volumes list emits nothing; entrypoint: [] and cmd: [] are Docker's reset and stay.
  const expose =
    fields.expose && fields.expose.value.length > 0 ? { value: strings(fields.expose.value), origin: fields.expose.origin } : undefined;
  const volumes = fields.volumes && fields.volumes.value.length > 0 ? fields.volumes : undefined;
  const shell = fields.shell && { value: [...fields.shell.value], origin: fields.shell.origin };
  const { description, platform, workdir, user, healthcheck, stopsignal, entrypoint, cmd } = fields;
  return {
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
    ...(volumes && { volumes: { value: [...volumes.value], origin: volumes.origin } }),
    ...(user && { user }),
    ...(healthcheck && { healthcheck }),
    ...(stopsignal && { stopsignal }),
    ...(entrypoint && { entrypoint }),
    ...(cmd && { cmd }),
  };
}

/** ONBUILD triggers: steps like the body's, except that a heredoc cannot be nested in ONBUILD. */
function onbuildSteps(ctx: ResolveContext, field: Traced<RawStep[]> | undefined, ref: RefResolver): Traced<Step>[] {
  if (!field) return [];
  return field.value.map((raw, i) => {
    const origin = { path: [...field.origin.path, i], chain: field.origin.chain };
    const step = normalizeStep(ctx, raw, origin.path, origin.chain, ref);
    if (isHeredoc(step)) {
      ctx.report(
        'INVALID_VALUE',
        'ONBUILD cannot hold a heredoc (a multi-line run, an interpreter or copy content): BuildKit reads heredocs only in RUN, COPY and ADD themselves',
        origin.path,
        {
          hint: 'put the script in a file and COPY it, or RUN it as one line',
        },
      );
    }
    // A trigger runs in the build that starts FROM this image: its --from names that build's
    // stages (or an image), never a stage of this Dockerfile, so such a reference cannot mean what it says.
    const stageFrom =
      step.kind === 'copy'
        ? step.from?.kind === 'stage'
        : step.kind === 'run' && step.mounts.some((m) => 'from' in m && m.from?.kind === 'stage');
    if (stageFrom) {
      ctx.report(
        'INVALID_VALUE',
        'an ONBUILD step cannot take files from a stage of this Dockerfile: the trigger runs in the build that uses this image, where --from names its own stages',
        step.kind === 'copy' ? [...origin.path, 'copy', 'from'] : origin.path,
        {
          hint: 'write from: {image: <name>} for an image, or copy the files into this stage with a normal step',
        },
      );
    }
    return { value: step, origin };
  });
}
