import type { ResolveContext } from './context';
import type { Head } from './head';
import { mergeLayers, type MergedStage } from './merge';
import type { ResolvedStage } from './model';
import type { RefResolver } from './steps';
import {
  buildStage,
  type BuiltSteps,
  checkMerged,
  mergeStage,
  ownStageLayers,
  pipelineStageLayers,
  reportEditProblem,
  type StageLayers,
} from './stage';
import { expressionNames, stageScope, substituteStage } from './substitution';
import type { EditProblem } from './edit';
import type { Use } from './variables';

/** A pipeline's stage as merged once for the run: the same for every service that does not override it. */
interface SharedMerge {
  layers: StageLayers;
  merged: MergedStage;
  /** Edits naming unknown step ids: reported for each service, whose name the diagnostic carries. */
  problems: EditProblem[];
  /** The `${{ }}` names its values use: the only part of a service's scope that can change the stage. */
  names: string[];
  /** By the values those names take: the substituted stage, and what was built from it. */
  variants: Map<string, Variant>;
}

interface Variant {
  merged: MergedStage;
  /** By the service's stage names (a bare `from:` names a stage only if the service has it). */
  built: Map<string, ResolvedStage>;
}

/**
 * Resolving a pipeline's stage for each of thousands of services that adopt it unchanged repeats
 * the same work: the layers and their merge do not depend on the service, and the rest depends
 * only on the values its `${{ }}` expressions take and on which stage names the service has. So
 * the merge is done once per pipeline stage, the substitution once per distinct set of values,
 * and the build once per distinct set of stage names; services with the same inputs share the
 * same resolved stage object (results are never mutated). A service that overrides the stage
 * merges its own layers on top of that one merge.
 *
 * Diagnostics stay exactly as without sharing: what is reported once per position and message
 * (ResolveContext.report drops repeats) is reported when the shared result is made; what names
 * the service (an unknown step id or var, a missing base) is reported again for every service;
 * and a build that reported anything, or that named another service (`from: {service: ...}`
 * resolves differently in that service itself), is not shared at all.
 */
export class StageShare {
  private readonly merges = new Map<string, Map<string, SharedMerge | undefined>>();
  /** Steps built once for every stage of every service that inherits them unchanged (stage.ts, BuiltSteps). */
  private readonly steps: BuiltSteps = new Map();
  /** Each resolved stage's variable uses (variables.ts, variableUses): one walk per shared stage. */
  readonly uses = new Map<ResolvedStage, Use[]>();

  /** A service's stage `name`, from its pipeline and not overridden by the service. */
  adopted(ctx: ResolveContext, head: Head, name: string, ref: RefResolver): ResolvedStage | undefined {
    const shared = this.merge(ctx, head.pipeline!, name)!;
    for (const problem of shared.problems) reportEditProblem(ctx, head, name, problem);
    let key = '';
    let variant = shared.variants.get(key);
    if (shared.names.length > 0) {
      const scope = stageScope(ctx, head, name, shared.layers.layers, shared.merged, shared.names);
      key = JSON.stringify(shared.names.map((n) => scope[n] ?? null));
      variant = shared.variants.get(key);
      if (!variant) variant = this.variant(ctx, head, name, shared, key, substituteStage(ctx, shared.merged, scope));
    } else if (!variant) {
      variant = this.variant(ctx, head, name, shared, key, shared.merged);
    }
    // No base: the diagnostic names the service, so it is reported for each one.
    if (variant.merged.fields.from === undefined) {
      checkMerged(ctx, head, name, variant.merged, shared.layers);
      return undefined;
    }
    const names = head.stageNames.join('\n');
    const built = variant.built.get(names);
    if (built) return built;
    const before = ctx.reports;
    let namesService = false;
    const stage = buildStage(
      ctx,
      name,
      variant.merged,
      shared.layers.path,
      (value, at) => {
        if (value !== null && typeof value === 'object' && 'service' in value) namesService = true;
        return ref(value, at);
      },
      this.steps,
    );
    if (stage && !namesService && ctx.reports === before) variant.built.set(names, stage);
    return stage;
  }

  /**
   * A stage the service overrides: its own layers merged on top of the pipeline's stage as
   * merged once for the run (the pipeline's edit problems reported for this service too).
   */
  overridden(ctx: ResolveContext, head: Head, name: string, ref: RefResolver): ResolvedStage | undefined {
    const shared = head.pipeline === undefined ? undefined : this.merge(ctx, head.pipeline, name);
    for (const problem of shared?.problems ?? []) reportEditProblem(ctx, head, name, problem);
    const layers = ownStageLayers(ctx, head, name, shared?.layers);
    const base = shared && { merged: shared.merged, layers: shared.layers.layers.length, names: shared.names };
    const merged = mergeStage(ctx, head, name, layers.layers, base);
    if (!checkMerged(ctx, head, name, merged, layers)) return undefined;
    return buildStage(ctx, name, merged, layers.path, ref, this.steps);
  }

  /** The pipeline's stage merged, once per run; undefined when the pipeline has no such stage. */
  private merge(ctx: ResolveContext, pipeline: string, name: string): SharedMerge | undefined {
    let stages = this.merges.get(pipeline);
    if (!stages) this.merges.set(pipeline, (stages = new Map()));
    if (stages.has(name)) return stages.get(name);
    let shared: SharedMerge | undefined;
    const layers = pipelineStageLayers(ctx, pipeline, name);
    if (layers) {
      const problems: EditProblem[] = [];
      const merged = mergeLayers(layers.layers, (problem) => problems.push(problem));
      shared = { layers, merged, problems, names: expressionNames(merged), variants: new Map() };
    }
    stages.set(name, shared);
    return shared;
  }

  /** A new substituted stage: its step ids are checked once here (those reports name no service). */
  private variant(ctx: ResolveContext, head: Head, name: string, shared: SharedMerge, key: string, merged: MergedStage): Variant {
    const variant: Variant = { merged, built: new Map() };
    if (merged.fields.from !== undefined) checkMerged(ctx, head, name, merged, shared.layers);
    shared.variants.set(key, variant);
    return variant;
  }
}
