import { posix } from 'node:path';
import type { Service } from '../generated/types';
import type { YamlPath } from '../load';
// eslint-disable-next-line no-restricted-imports -- the token layer is shared by resolve and emit; emit's index would load the emitter here
import { collect, imageName, imageReference, type Refuse } from '../emit/tokens';
import { closest } from '../util/suggest';
import type { ResolveContext } from './context';
import type { ContextOptions } from './model';
import { substitute, type ExpressionScope } from './expressions';
import type { ServiceHead } from './refs';
import { setting, settingLayers, type SettingLayers } from './settings';
import { reportUnknownVars, serviceVars, withVars } from './vars';

/** What other services need to know about a service before any stage is resolved. */
export interface Head extends ServiceHead {
  raw: Service;
  path: string;
  context: string;
  /** The object form of `context` (docs/contexts.md): root files to keep, or pruning turned off. */
  contextOptions?: ContextOptions;
  dockerfile: string;
  /** service.* and the service-level vars: what strings outside stages see (made on first call). */
  scope: () => ExpressionScope;
  /** Expressions without vars: a stage adds its own vars to these. */
  baseScope: ExpressionScope;
  /** defaults, pipeline, service: where service settings come from. */
  layers: SettingLayers;
  syntax?: string;
  platforms: string[];
  pipeline?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * Relative, in segments that cannot be `.` or `..` (none starts with a dot), without `\\`, `:`,
 * `//` or a trailing `/`: normalized as it is.
 */
const PLAIN_PATH = /^[\w@+-][\w@+.-]*(?:\/[\w@+-][\w@+.-]*)*$/;

/** A workspace-relative path, normalized; undefined (and reported) when it leaves the workspace. */
export function workspacePath(ctx: Pick<ResolveContext, 'report'>, value: string, at: YamlPath): string | undefined {
  // The usual `services/api`: posix.normalize and the checks below would return it unchanged.
  if (PLAIN_PATH.test(value)) return value;
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
    ctx.report(
      'UNKNOWN_PIPELINE',
      `pipeline "${pipelineName}" is not defined`,
      [...at, 'pipeline'],
      near ? { hint: `did you mean "${near}"?` } : {},
    );
    return undefined;
  }
  const stageNames = Object.keys(pipeline?.stages ?? {}).filter((s) => pipeline?.stages[s] !== null);
  for (const [stage, override] of Object.entries(raw.stages ?? {})) {
    if (override !== null) {
      if (!stageNames.includes(stage)) stageNames.push(stage);
    } else if (stageNames.includes(stage)) {
      stageNames.splice(stageNames.indexOf(stage), 1);
    } else {
      ctx.report(
        'UNKNOWN_STAGE',
        `"${stage}: null" removes a pipeline stage, but ${pipelineName ? `pipeline "${pipelineName}"` : 'the service has no pipeline and'} has no stage "${stage}"`,
        [...at, 'stages', stage],
        { key: true },
      );
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
      removed
        ? `service "${name}" removes stage "${target}", its pipeline's target`
        : `target "${target}" is not a stage of service "${name}"`,
      removed ? [...at, 'stages', target] : targetPath,
      removed ? { key: true, hint: 'set target: to another stage' } : near ? { hint: `did you mean "${near}"?` } : {},
    );
    return undefined;
  }
  const path = workspacePath(ctx, raw.path, [...at, 'path']);
  if (path === undefined) return undefined;
  const layers = settingLayers(ctx, name, pipelineName);
  // Merged on first need, as the scopes below are.
  let merged: Map<string, string> | undefined;
  const vars = (): Map<string, string> => (merged ??= serviceVars(ctx, raw, pipeline));
  // Strings outside stages see the service-level vars (docs/language.md); checked and substituted here.
  // Built only for a value that holds an expression: most settings are plain strings.
  let early: ExpressionScope | undefined;
  const text = (value: string, at: YamlPath): string => {
    if (!value.includes('${{')) return value;
    early ??= withVars({ 'service.name': name, 'service.path': path }, vars());
    reportUnknownVars(ctx, value, at, early, name);
    return substitute(value, early);
  };
  const registry = setting<string>(layers, 'registry');
  const registryText =
    registry && substituted(ctx, registry.value, text(registry.value, registry.path), registry.path, (v, r) => imageName(v, r, 'registry'));
  const image =
    raw.image !== undefined
      ? substituted(ctx, raw.image, text(raw.image, [...at, 'image']), [...at, 'image'], (v, r) => imageName(v, r, 'image'))
      : registryText
        ? `${registryText.replace(/\/+$/, '')}/${name}`
        : name;
  const baseScope: ExpressionScope = { 'service.name': name, 'service.path': path, 'service.image': image };
  // The service-level scope, made on first use: most services read it only for a value holding an expression.
  let scope: ExpressionScope | undefined;
  const scopeOf = (): ExpressionScope => (scope ??= withVars(baseScope, vars()));
  const locate = (found: { value: string; path: YamlPath }): string | undefined => {
    if (!found.value.includes('${{')) return workspacePath(ctx, found.value, found.path);
    reportUnknownVars(ctx, found.value, found.path, scopeOf(), name);
    return workspacePath(ctx, substitute(found.value, scopeOf()), found.path);
  };
  const located = (field: 'dockerfile', fallback: () => string): string | undefined => {
    const found = setting<string>(layers, field);
    return found === undefined ? fallback() : locate(found);
  };
  const contextSetting = setting<string | { path: string; include?: string[]; prune?: boolean }>(layers, 'context');
  let context: string | undefined = path;
  let contextOptions: ContextOptions | undefined;
  if (typeof contextSetting?.value === 'string') {
    context = locate({ value: contextSetting.value, path: contextSetting.path });
    contextOptions = { prune: true, at: contextSetting.path, explicit: false };
  } else if (contextSetting) {
    const { value, path: at } = contextSetting;
    context = locate({ value: value.path, path: [...at, 'path'] });
    const include = value.include?.map((entry, i) => locate({ value: entry, path: [...at, 'include', i] }));
    if (include?.some((e) => e === undefined)) context = undefined;
    contextOptions = { prune: value.prune !== false, at, explicit: true, ...(include ? { include: include as string[] } : {}) };
  }
  const dockerfile = located('dockerfile', () => posix.join(path, 'Dockerfile'));
  const tagSetting = setting<string>(layers, 'tag');
  const tag = tagSetting ? text(tagSetting.value, tagSetting.path) : 'latest';
  if (tagSetting && tagSetting.value !== tag && !TAG.test(tag)) {
    ctx.report('INVALID_VALUE', `tag "${tag}" (after substitution) is not a valid image tag`, tagSetting.path, {
      hint: 'letters, digits, _, . and -, not starting with . or -',
    });
    return undefined;
  }
  if (context === undefined || dockerfile === undefined) return undefined;
  const syntax = setting<string>(layers, 'syntax');
  const syntaxText =
    syntax && substituted(ctx, syntax.value, text(syntax.value, syntax.path), syntax.path, (v, r) => imageReference(v, r, 'syntax'));
  const platforms = setting<string[]>(layers, 'platforms');
  return {
    name,
    raw,
    path,
    image,
    tag,
    target,
    stageNames,
    context,
    ...(contextOptions ? { contextOptions } : {}),
    dockerfile,
    scope: scopeOf,
    baseScope,
    layers,
    ...(syntaxText ? { syntax: syntaxText } : {}),
    platforms: platforms ? platforms.value.map((p, i) => platform(ctx, text(p, [...platforms.path, i]), [...platforms.path, i])) : [],
    ...(pipelineName ? { pipeline: pipelineName } : {}),
  };
}

/**
 * registry, image and syntax are checked as written at validate time (emit/fields.ts), but one
 * holding a ${{ }} expression only here, after substitution: else `registry: ${{ vars.r }}`
 * with a space in the var reached every tag and `# syntax=` unchecked.
 */
function substituted(
  ctx: ResolveContext,
  written: string,
  value: string,
  path: YamlPath,
  check: (value: string, refuse: Refuse) => unknown,
): string {
  if (value === written) return value;
  const [refuse, found] = collect();
  check(value, refuse);
  for (const r of found) ctx.report(r.code, `${r.message} (after substitution)`, path, r.hint ? { hint: r.hint } : {});
  return value;
}

/** os/arch[/variant] (or buildx's `local`): one platform per item, as buildx and bake take them. */
const PLATFORM = /^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*){0,2}$/;

/**
 * A service's platforms reach `--platform a,b` and bake's `platforms` unchecked otherwise: a
 * comma added platforms the plan did not count, a space or `--push` failed only at build time.
 */
function platform(ctx: ResolveContext, value: string, path: YamlPath): string {
  if (!PLATFORM.test(value)) {
    ctx.report('INVALID_VALUE', `platform "${value}" is not os/arch[/variant]`, path, {
      hint: 'one platform per item, e.g. linux/amd64 or linux/arm/v7',
    });
  }
  return value;
}
