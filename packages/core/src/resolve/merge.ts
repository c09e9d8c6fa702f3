import type { Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import { applyEdits, type EditProblem } from './edit';
import type { Layer, RawStage } from './layers';
import { substitute, type ExpressionScope } from './expressions';
import type { Origin, Traced } from './model';

/**
 * Fields whose child value replaces the parent's, and which a child's `null` removes
 * (docs/language.md, "null unsets an inherited value").
 */
export const REPLACED_FIELDS = [
  'description',
  'from',
  'platform',
  'workdir',
  'user',
  'stopsignal',
  'shell',
  'expose',
  'volumes',
  'healthcheck',
  'entrypoint',
  'cmd',
  'onbuild',
] as const;
type ReplacedField = (typeof REPLACED_FIELDS)[number];
type MapField = 'args' | 'env' | 'labels';
const REPLACED: ReadonlySet<string> = new Set(REPLACED_FIELDS);
const MAP_FIELDS = ['args', 'env', 'labels'] as const;

/**
 * What `null` means in a map: it deletes the inherited key, except in `args` where an ARG is
 * declared (a stage's, or the top-level global ARGs): there it declares the ARG without a default.
 * Service-level `args` (defaults, pipeline, service) only set values, so null deletes there too.
 */
export const nullDeletes = (field: MapField, where: 'stage' | 'global' | 'service'): boolean => field !== 'args' || where === 'service';

/** Each field typed as the schema types it, without the `null` that unsets it. */
type MergedFields = { [K in ReplacedField]?: Traced<NonNullable<RawStage[K]>> };

export type MapValue = string | number | boolean | null;

export interface MergedEntry {
  key: string;
  value: MapValue;
  origin: Origin;
}

/** A stage after config inheritance, before its values are interpreted. */
export interface MergedStage {
  fields: MergedFields;
  /** Where a layer's `null` removed a field, so a missing `from` can point at the null. */
  unset: Partial<Record<ReplacedField, Origin>>;
  maps: Record<MapField, MergedEntry[]>;
  steps: Traced<RawStep>[];
}

/**
 * The one map merge of config inheritance: key by key, the later map wins; `null` deletes the
 * key where `nullDeletes`, else it is kept as a value (an ARG declared without a default).
 */
export function mergeEntries(
  into: Map<string, MergedEntry>,
  map: Readonly<Record<string, MapValue | undefined>> | null | undefined,
  origin: (key: string) => Origin,
  nullDeletes: boolean,
): void {
  for (const [key, value] of Object.entries(map ?? {})) {
    if (value === undefined) continue;
    if (value === null && nullDeletes) into.delete(key);
    else {
      // A re-set key keeps its inherited place: maps are emitted inherited keys first.
      into.set(key, { key, value, origin: origin(key) });
    }
  }
}

function setField<K extends ReplacedField>(fields: MergedFields, field: K, value: NonNullable<RawStage[K]>, origin: Origin): void {
  fields[field] = { value, origin } as MergedFields[K];
}

/**
 * Config inheritance, docs/language.md "Inheritance" and "Language 1.1": scalars and lists replace and `null` removes them; maps
 * merge key by key (child wins, null deletes, except ARG, where null means "no default"). Steps:
 * each layer first replaces (`steps`) or edits (`edit`) what it inherits, then wraps it with
 * `prepend`/`append`. Problems with edits go to `report`, once per use of the stage.
 */
export function mergeLayers(layers: readonly Layer[], report: (problem: EditProblem) => void, base?: MergedStage): MergedStage {
  // A base is lower layers already merged: merging continues from it (it is not changed).
  const fields: MergedFields = { ...base?.fields };
  const unset: MergedStage['unset'] = { ...base?.unset };
  // A map is keyed (a Map) only once a layer writes to it: an untouched one stays the inherited
  // list itself (lists are never mutated), which is most maps of a service's override.
  const lists: Record<MapField, MergedEntry[]> = {
    args: base?.maps.args ?? [],
    env: base?.maps.env ?? [],
    labels: base?.maps.labels ?? [],
  };
  const keyed: Partial<Record<MapField, Map<string, MergedEntry>>> = {};
  let steps: Traced<RawStep>[] = base?.steps ?? [];
  for (const layer of layers) {
    const origin = (path: YamlPath): Origin => ({ path, chain: layer.chain });
    const raw = layer.raw;
    // The layer's own keys, not all 13 fields: a layer sets few of them.
    for (const key in raw) {
      if (!REPLACED.has(key)) continue;
      const field = key as ReplacedField;
      const value = raw[field];
      if (value === undefined) continue;
      if (value === null) {
        delete fields[field];
        unset[field] = origin([...layer.path, field]);
      } else {
        setField(fields, field, value, origin([...layer.path, field]));
        delete unset[field];
      }
    }
    for (const field of MAP_FIELDS) {
      const map = raw[field];
      if (map === undefined || map === null) continue;
      const into = (keyed[field] ??= new Map(lists[field].map((e) => [e.key, e])));
      mergeEntries(into, map, (key) => origin([...layer.path, field, key]), nullDeletes(field, 'stage'));
    }
    const list = (field: 'steps' | 'prepend' | 'append'): Traced<RawStep>[] =>
      (raw[field] ?? []).map((step, i) => ({ value: step, origin: origin([...layer.path, field, i]) }));
    // `steps` with `edit` in one layer is reported by checkEditShapes; steps win.
    if (raw.steps !== undefined) steps = list('steps');
    else if (raw.edit) steps = applyEdits(steps, raw.edit, layer, report);
    if (raw.prepend !== undefined || raw.append !== undefined) steps = [...list('prepend'), ...steps, ...list('append')];
  }
  const mapOf = (field: MapField): MergedEntry[] => {
    const map = keyed[field];
    return map ? [...map.values()] : lists[field];
  };
  return { fields, unset, maps: { args: mapOf('args'), env: mapOf('env'), labels: mapOf('labels') }, steps };
}

/** `${{ }}` expressions substituted in a merged stage's values (origins are left as they are). */
export function substituteMerged(
  merged: MergedStage,
  scope: ExpressionScope,
  changed?: (traced: { value: unknown; origin: Origin }) => void,
): MergedStage {
  // `changed` sees each value that substitution changed, in the order fields, args, env, labels, steps.
  const sub = <T extends { value: unknown; origin: Origin }>(traced: T): T => {
    const value = substitute(traced.value, scope);
    if (value === traced.value) return traced;
    const out = { ...traced, value };
    changed?.(out);
    return out;
  };
  const fields: MergedFields = {};
  for (const field of REPLACED_FIELDS) {
    const traced = merged.fields[field];
    if (traced) setField(fields, field, sub(traced).value, traced.origin);
  }
  return {
    fields,
    unset: merged.unset,
    // Label keys may hold expressions too (env and arg names cannot: the schema allows identifiers only).
    maps: {
      args: merged.maps.args.map(sub),
      env: merged.maps.env.map(sub),
      labels: merged.maps.labels.map((entry) => {
        const key = substitute(entry.key, scope);
        const subbed = sub(entry);
        return key === entry.key ? subbed : { ...subbed, key };
      }),
    },
    steps: merged.steps.map(sub),
  };
}
