import type { YamlPath } from '../load';
import type { ResolveContext } from './context';

/** The layers a service setting comes from, lowest first: defaults, the pipeline, the service. */
export type SettingLayers = readonly [Record<string, unknown> | undefined, YamlPath][];

export interface Setting<T> {
  value: T;
  path: YamlPath;
}

/**
 * A service setting: the nearest layer that mentions it wins; its `null` unsets the inherited
 * value (DESIGN 10), which comes back as undefined like a setting nobody gave.
 */
export function setting<T>(layers: SettingLayers, field: string): Setting<T> | undefined {
  for (let i = layers.length - 1; i >= 0; i--) {
    const [raw, path] = layers[i]!;
    const value = raw?.[field];
    if (value === undefined) continue;
    return value === null ? undefined : { value: value as T, path: [...path, field] };
  }
  return undefined;
}

/** defaults, then the pipeline (which may carry context, syntax, platforms, args, labels and, later, build), then the service. */
export function settingLayers(ctx: ResolveContext, service: string, pipeline: string | undefined): SettingLayers {
  const { config } = ctx;
  const raw = config.services?.[service];
  return [
    [config.defaults as Record<string, unknown> | undefined, ['defaults']],
    [pipeline ? (config.pipelines?.[pipeline] as Record<string, unknown> | undefined) : undefined, ['pipelines', pipeline ?? '']],
    [raw as Record<string, unknown> | undefined, ['services', service]],
  ];
}
