import { posix } from 'node:path';
import type { Service } from '../generated/types';
import type { YamlPath } from '../load';
import { closest } from '../util/suggest';
import type { ResolveContext } from './context';
import { substitute, type ExpressionScope } from './expressions';
import type { ServiceHead } from './refs';

/** What other services need to know about a service before any stage is resolved. */
export interface Head extends ServiceHead {
  raw: Service;
  path: string;
  context: string;
  dockerfile: string;
  scope: ExpressionScope;
  pipeline?: string;
}

/** A workspace-relative path, normalized; undefined (and reported) when it leaves the workspace. */
export function workspacePath(ctx: ResolveContext, value: string, at: YamlPath): string | undefined {
  // A NUL ends a path for the operating system: Node refuses it, Docker would truncate it.
  if (value.includes('\0')) {
    ctx.report('INVALID_VALUE', `"${value.replace(/\0/g, '\\0')}" contains a NUL character, which no file path may hold`, at);
    return undefined;
  }
  const slashed = posix.normalize(value.replace(/\\/g, '/'));
  const normalized = slashed.replace(/\/+$/, '') || '.';
  if (posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(normalized) || normalized === '..' || normalized.startsWith('../')) {
    ctx.report('PATH_OUTSIDE_WORKSPACE', `"${value}" leaves the workspace root: paths are relative to the folder of stages.yaml`, at);
    return undefined;
  }
  return normalized;
}

export function serviceHead(ctx: ResolveContext, name: string, raw: Service): Head | undefined {
  const { config } = ctx;
  const at: YamlPath = ['services', name];
  const pipelineName = raw.pipeline;
  const pipeline = pipelineName === undefined ? undefined : config.pipelines?.[pipelineName];
  if (pipelineName !== undefined && !pipeline) {
    const near = closest(pipelineName, Object.keys(config.pipelines ?? {}));
    ctx.report('UNKNOWN_PIPELINE', `pipeline "${pipelineName}" is not defined`, [...at, 'pipeline'], near ? { hint: `did you mean "${near}"?` } : {});
    return undefined;
  }
  const stageNames = Object.keys(pipeline?.stages ?? {}).filter((s) => pipeline?.stages[s] !== null);
  for (const [stage, override] of Object.entries(raw.stages ?? {})) {
    if (override !== null) {
      if (!stageNames.includes(stage)) stageNames.push(stage);
    } else if (stageNames.includes(stage)) {
      stageNames.splice(stageNames.indexOf(stage), 1);
    } else {
      ctx.report('UNKNOWN_STAGE', `"${stage}: null" removes a pipeline stage, but ${pipelineName ? `pipeline "${pipelineName}"` : 'the service has no pipeline and'} has no stage "${stage}"`, [...at, 'stages', stage], { key: true });
    }
  }
  if (stageNames.length === 0) {
    ctx.report('NO_STAGES', `service "${name}" has no stages: give it a pipeline or stages`, at, { key: true });
    return undefined;
  }
  const targetPath: YamlPath = raw.target !== undefined ? [...at, 'target'] : ['pipelines', pipelineName ?? '', 'target'];
  const target = raw.target ?? pipeline?.target ?? stageNames.at(-1)!;
  if (!stageNames.includes(target)) {
    const removed = raw.stages?.[target] === null;
    const near = closest(target, stageNames);
    ctx.report(
      'UNKNOWN_TARGET',
      removed ? `service "${name}" removes stage "${target}", its pipeline's target` : `target "${target}" is not a stage of service "${name}"`,
      removed ? [...at, 'stages', target] : targetPath,
      removed ? { key: true, hint: 'set target: to another stage' } : near ? { hint: `did you mean "${near}"?` } : {},
    );
    return undefined;
  }
  const path = workspacePath(ctx, raw.path, [...at, 'path']);
  if (path === undefined) return undefined;
  const defaults = config.defaults ?? {};
  const registry = raw.registry ?? defaults.registry;
  const image = raw.image ?? (registry ? `${registry.replace(/\/+$/, '')}/${name}` : name);
  const scope: ExpressionScope = { 'service.name': name, 'service.path': path, 'service.image': image };
  const located = (field: 'context' | 'dockerfile', fallback: string): string | undefined => {
    const own = raw[field];
    const value = own ?? defaults[field];
    const fieldPath: YamlPath = own !== undefined ? [...at, field] : ['defaults', field];
    return value === undefined ? fallback : workspacePath(ctx, substitute(value, scope), fieldPath);
  };
  const context = located('context', path);
  const dockerfile = located('dockerfile', posix.join(path, 'Dockerfile'));
  if (context === undefined || dockerfile === undefined) return undefined;
  return {
    name,
    raw,
    path,
    image,
    tag: raw.tag ?? defaults.tag ?? 'latest',
    target,
    stageNames,
    context,
    dockerfile,
    scope,
    ...(pipelineName ? { pipeline: pipelineName } : {}),
  };
}
