import type { StagecStagesYaml } from '../generated/types';

const isExtension = (key: string): boolean => key.startsWith('x-');

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

function hasExtension(value: Mapping): boolean {
  for (const key in value) if (Object.hasOwn(value, key) && isExtension(key)) return true;
  return false;
}

function without(value: unknown): unknown {
  if (!isMapping(value) || !hasExtension(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !isExtension(k)));
}

/** `key` set to `value` in a copy (a data property, even for `__proto__`). */
const withKey = (map: Mapping, key: string, value: unknown): Mapping =>
  Object.defineProperty({ ...map }, key, { value, enumerable: true, writable: true, configurable: true });

/** `f` applied to each value; copy on change: a map without extensions anywhere comes back as it was. */
function eachValue(map: unknown, f: (v: unknown) => unknown): unknown {
  if (!isMapping(map)) return map;
  let out: Mapping | undefined;
  for (const key in map) {
    if (!Object.hasOwn(map, key)) continue;
    const value = map[key];
    const changed = f(value);
    if (changed === value) continue;
    if (out) Object.defineProperty(out, key, { value: changed, enumerable: true, writable: true, configurable: true });
    else out = withKey(map, key, changed);
  }
  return out ?? map;
}

/**
 * `x-` keys (docs/language.md, "Top level") are ignored at the top level, in `defaults` and in every stage,
 * pipeline and service mapping, as compose ignores them: removed here, once, after the schema
 * has accepted them, so no later phase can read, check or emit them. Positions stay valid:
 * diagnostics address nodes by path, and no path of a kept value changes.
 */
export function stripExtensions(config: StagecStagesYaml): StagecStagesYaml {
  const top = without(config) as Mapping;
  const stages = (map: unknown): unknown => eachValue(map, without);
  return {
    ...top,
    ...(top.defaults !== undefined && { defaults: without(top.defaults) }),
    ...(top.stages !== undefined && { stages: stages(top.stages) }),
    ...(top.pipelines !== undefined && {
      pipelines: eachValue(top.pipelines, (p) => {
        const pipeline = without(p) as Mapping;
        const kept = stages(pipeline.stages);
        return kept === pipeline.stages ? pipeline : { ...pipeline, stages: kept };
      }),
    }),
    ...(top.services !== undefined && {
      services: eachValue(top.services, (s) => {
        const service = without(s) as Mapping;
        const kept = service.stages === undefined ? undefined : stages(service.stages);
        return kept === service.stages ? service : { ...service, stages: kept };
      }),
    }),
  } as StagecStagesYaml;
}
