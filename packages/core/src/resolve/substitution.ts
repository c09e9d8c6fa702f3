// A stage's `${{ }}` expressions: which it names, their values in a service, and the stage substituted and re-checked.
import type { YamlPath } from '../load';
import { checkStrings } from './checks';
import type { ResolveContext } from './context';
import { EXPRESSION, type ExpressionScope } from './expressions';
import type { Head } from './head';
import type { Layer } from './layers';
import { REPLACED_FIELDS, substituteMerged, type MergedStage } from './merge';
import { reportUnknownVars, stageScopeOf, stageVars, withVars } from './vars';

/**
 * What the `${{ }}` names a stage's values use (`names`) are in this service: service.*,
 * stage.name and the stage's vars. A var the service lacks is reported here, for this service.
 */
export function stageScope(
  ctx: ResolveContext,
  head: Head,
  name: string,
  layers: readonly Layer[],
  merged: MergedStage,
  names: readonly string[],
): ExpressionScope {
  let base: ExpressionScope | undefined;
  const baseOf = (): ExpressionScope => (base ??= { ...head.baseScope, 'stage.name': name });
  const scope = stageScopeOf(ctx, head, baseOf, name, layers, names);
  if (names.some((n) => n.startsWith('vars.') && scope[n] === undefined)) {
    // The whole scope, for the did-you-mean among all vars.
    const all = withVars(baseOf(), stageVars(ctx, head, layers));
    for (const t of mergedValues(merged)) reportUnknownVars(ctx, t.value, t.origin.path, all, head.name);
  }
  return scope;
}

/** The stage with its expressions substituted; a substituted value is checked again (a var may bring a newline or a relative WORKDIR). */
export function substituteStage(ctx: ResolveContext, merged: MergedStage, scope: ExpressionScope): MergedStage {
  return substituteMerged(merged, scope, (t) => checkStrings(ctx, t.value, t.origin.path));
}

/** The `${{ }}` expressions a merged stage's values (and label keys) name, each once, in order of appearance. */
export function expressionNames(merged: MergedStage): string[] {
  const names = new Set<string>();
  for (const t of mergedValues(merged)) namesIn(t.value, names);
  for (const label of merged.maps.labels) namesIn(label.key, names);
  return [...names];
}

/**
 * expressionNames of a merge of `layers` on top of a base whose names are `base`, without
 * walking the merged stage: the base's names and those written anywhere in the layers. That
 * may name more than the merge keeps (a value the layers replace or remove), which is harmless:
 * names only decide which values a scope holds (stageScope reports from the values themselves),
 * and substituting a value that holds none of them changes nothing.
 */
export function namesAbove(base: readonly string[], layers: readonly Layer[]): string[] {
  const names = new Set(base);
  for (const layer of layers) {
    namesIn(layer.raw, names);
    // Label keys may hold expressions too (as in expressionNames).
    for (const key in layer.raw.labels ?? {}) namesIn(key, names);
  }
  return names.size === base.length ? (base as string[]) : [...names];
}

/** The walk of forEachString without the path it keeps: names need none, and this runs on every merged stage. */
function namesIn(value: unknown, names: Set<string>): void {
  if (typeof value === 'string') {
    if (value.includes('${{')) for (const m of value.matchAll(EXPRESSION)) names.add(m[1]!);
  } else if (Array.isArray(value)) {
    for (const v of value) namesIn(v, names);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) if (Object.hasOwn(value, key)) namesIn((value as Record<string, unknown>)[key], names);
  }
}

type TracedValue = { value: unknown; origin: { path: YamlPath } };

/** A merged stage's values in a fixed order (fields, args, env, labels, steps), so two merges pair up by index. */
function mergedValues(merged: MergedStage): TracedValue[] {
  const out: TracedValue[] = [];
  for (const f of REPLACED_FIELDS) {
    const field = merged.fields[f];
    if (field) out.push(field);
  }
  for (const list of [merged.maps.args, merged.maps.env, merged.maps.labels, merged.steps]) for (const t of list) out.push(t);
  return out;
}
