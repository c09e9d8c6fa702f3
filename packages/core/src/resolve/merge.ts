import type { Step as RawStep } from '../generated/types';
import type { YamlPath } from '../load';
import type { Layer } from './layers';
import { substitute, type ExpressionScope } from './expressions';
import type { Origin, Traced } from './model';

const SCALAR_FIELDS = [
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
export type ScalarField = (typeof SCALAR_FIELDS)[number];
export type MapField = 'args' | 'env' | 'labels';

export interface MergedEntry {
  key: string;
  value: unknown;
  origin: Origin;
}

/** A stage after config inheritance, before its values are interpreted. */
export interface MergedStage {
  fields: Partial<Record<ScalarField, Traced<unknown>>>;
  maps: Record<MapField, MergedEntry[]>;
  steps: Traced<RawStep>[];
}

/**
 * Config inheritance, DESIGN §2: scalars and lists replace; maps merge key by key with the
 * child winning and null deleting (except ARG, where null means "no default"); `steps`
 * replaces, `prepend`/`append` wrap the inherited steps.
 */
export function mergeLayers(layers: readonly Layer[]): MergedStage {
  const fields: MergedStage['fields'] = {};
  const maps = { args: new Map<string, MergedEntry>(), env: new Map<string, MergedEntry>(), labels: new Map<string, MergedEntry>() };
  let steps: Traced<RawStep>[] = [];
  for (const layer of layers) {
    const origin = (path: YamlPath): Origin => ({ path, chain: layer.chain });
    const raw = layer.raw as Record<string, unknown>;
    for (const field of SCALAR_FIELDS) {
      if (raw[field] !== undefined) fields[field] = { value: raw[field], origin: origin([...layer.path, field]) };
    }
    for (const field of ['args', 'env', 'labels'] as const) {
      const map = raw[field] as Record<string, unknown> | undefined;
      if (!map) continue;
      for (const [key, value] of Object.entries(map)) {
        if (value === null && field !== 'args') maps[field].delete(key);
        else maps[field].set(key, { key, value, origin: origin([...layer.path, field, key]) });
      }
    }
    const list = (field: 'steps' | 'prepend' | 'append'): Traced<RawStep>[] =>
      ((raw[field] as RawStep[] | undefined) ?? []).map((step, i) => ({ value: step, origin: origin([...layer.path, field, i]) }));
    if (raw.steps !== undefined) steps = list('steps');
    steps = [...list('prepend'), ...steps, ...list('append')];
  }
  return {
    fields,
    maps: { args: [...maps.args.values()], env: [...maps.env.values()], labels: [...maps.labels.values()] },
    steps,
  };
}

/** `${{ }}` expressions substituted in a merged stage's values (origins are left as they are). */
export function substituteMerged(merged: MergedStage, scope: ExpressionScope): MergedStage {
  const sub = <T extends { value: unknown }>(traced: T): T => {
    const value = substitute(traced.value, scope);
    return value === traced.value ? traced : { ...traced, value };
  };
  const fields: MergedStage['fields'] = {};
  for (const [field, traced] of Object.entries(merged.fields) as [ScalarField, Traced<unknown>][]) fields[field] = sub(traced);
  return {
    fields,
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
