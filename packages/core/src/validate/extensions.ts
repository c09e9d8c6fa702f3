import type { StagecStagesYaml } from '../generated/types';

const isExtension = (key: string): boolean => key.startsWith('x-');

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

function without(value: unknown): unknown {
  if (!isMapping(value) || !Object.keys(value).some(isExtension)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !isExtension(k)));
}

const eachValue = (map: unknown, f: (v: unknown) => unknown): unknown =>
  isMapping(map) ? Object.fromEntries(Object.entries(map).map(([k, v]) => [k, f(v)])) : map;

/**
 * `x-` keys (DESIGN 10) are ignored at the top level, in `defaults` and in every stage,
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
        return { ...pipeline, stages: stages(pipeline.stages) };
      }),
    }),
    ...(top.services !== undefined && {
      services: eachValue(top.services, (s) => {
        const service = without(s) as Mapping;
        return service.stages === undefined ? service : { ...service, stages: stages(service.stages) };
      }),
    }),
  } as StagecStagesYaml;
}
