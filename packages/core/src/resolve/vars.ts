import type { YamlPath } from '../load';
import { closest } from '../util/suggest';
import { forEachString } from '../util/walk';
import type { ResolveContext } from './context';
import { EXPRESSION, substitute, type ExpressionScope } from './expressions';
import type { Head } from './head';
import type { Layer } from './layers';

type VarMap = Readonly<Record<string, string | null>> | undefined;

/** Later maps win; null deletes an inherited var. */
function mergeVars(...maps: VarMap[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const map of maps) {
    for (const [key, value] of Object.entries(map ?? {})) {
      if (value === null) out.delete(key);
      else out.set(key, value);
    }
  }
  return out;
}

/** The service-level vars (top level, pipeline, service): what strings outside stages see. */
export function serviceVars(ctx: ResolveContext, raw: { vars?: VarMap }, pipeline: { vars?: VarMap } | undefined): Map<string, string> {
  return mergeVars(ctx.config.vars, pipeline?.vars, raw.vars);
}

/**
 * A stage's vars, lowest first: top level, templates (in extends order), pipeline, pipeline
 * stage, service, service stage (docs/language.md, "Vars"). Templates rank below the pipeline even when the
 * service stage is the one that extends them: a template is a default, the user overrides it.
 */
export function stageVars(ctx: ResolveContext, head: Head, layers: readonly Layer[]): Map<string, string> {
  return mergeVars(...stageVarMaps(ctx, head, layers));
}

function stageVarMaps(ctx: ResolveContext, head: Head, layers: readonly Layer[]): VarMap[] {
  const pipeline = head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined;
  const from = (root: string) => layers.filter((l) => l.path[0] === root).map((l) => l.raw.vars);
  return [ctx.config.vars, ...from('stages'), pipeline?.vars, ...from('pipelines'), head.raw.vars, ...from('services')];
}

/**
 * Only the given expressions of a stage's scope (its values' `${{ }}` names), with the values
 * `withVars(base, stageVars(...))` gives them: a var is decided by the highest map that has it
 * (null: deleted). A name without a value is left out. `base` is made only if a var's value
 * needs it (one holding an expression): most do not, and this runs per service and stage.
 */
export function stageScopeOf(
  ctx: ResolveContext,
  head: Head,
  base: () => ExpressionScope,
  stage: string,
  layers: readonly Layer[],
  names: readonly string[],
): ExpressionScope {
  const scope: Record<string, string> = {};
  for (let n = 0; n < names.length; n++) {
    const name = names[n]!;
    if (!name.startsWith('vars.')) {
      if (name === 'stage.name') scope[name] = stage;
      else if (Object.hasOwn(head.baseScope, name)) scope[name] = head.baseScope[name]!;
      continue;
    }
    const value = varValue(ctx, head, layers, name.slice(5));
    if (value !== null && value !== undefined) scope[name] = value.includes('${{') ? substitute(value, base()) : value;
  }
  return scope;
}

/** The highest of stageVarMaps' maps that has `key`, searched from the top without building the list. */
function varValue(ctx: ResolveContext, head: Head, layers: readonly Layer[], key: string): string | null | undefined {
  const has = (map: VarMap): map is NonNullable<VarMap> => map !== undefined && map !== null && Object.hasOwn(map, key);
  const inLayers = (root: string): { found: boolean; value?: string | null } => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const layer = layers[i]!;
      if (layer.path[0] === root && has(layer.raw.vars)) return { found: true, value: layer.raw.vars[key] };
    }
    return { found: false };
  };
  const pipeline = head.pipeline ? ctx.config.pipelines?.[head.pipeline] : undefined;
  let found = inLayers('services');
  if (found.found) return found.value;
  if (has(head.raw.vars)) return head.raw.vars[key];
  found = inLayers('pipelines');
  if (found.found) return found.value;
  if (has(pipeline?.vars)) return pipeline.vars[key];
  found = inLayers('stages');
  if (found.found) return found.value;
  if (has(ctx.config.vars)) return ctx.config.vars[key];
  return undefined;
}

/**
 * `base` with each var added as `vars.NAME`. A var's own value may use service.* and stage.name
 * (substituted here) but never another var: vars do not expand inside vars.
 */
export function withVars(base: ExpressionScope, vars: ReadonlyMap<string, string>): ExpressionScope {
  const scope: Record<string, string> = { ...base };
  for (const [name, value] of vars) scope[`vars.${name}`] = substitute(value, base);
  return scope;
}

/** Reports each `${{ vars.x }}` in `value` (walked down to the string, for a precise position) that `scope` lacks. */
export function reportUnknownVars(ctx: ResolveContext, value: unknown, path: YamlPath, scope: ExpressionScope, service: string): void {
  forEachString(value, path, (text, at) => {
    if (!text.includes('${{')) return;
    for (const match of text.matchAll(EXPRESSION)) {
      const name = match[1]!;
      if (!name.startsWith('vars.') || scope[name] !== undefined) continue;
      const known = Object.keys(scope)
        .filter((k) => k.startsWith('vars.'))
        .map((k) => k.slice(5));
      const near = closest(name.slice(5), known);
      ctx.report('UNKNOWN_EXPRESSION', `var "${name.slice(5)}" is not defined for service "${service}"`, [...at], {
        within: match[0],
        hint: near
          ? `did you mean "\${{ vars.${near} }}"?`
          : 'define it under vars: at the top level, on the pipeline, the service, a template or the stage',
      });
    }
  });
}
