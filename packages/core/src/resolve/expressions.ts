import type { YamlPath } from '../load';
import { didYouMean } from '../util/suggest';
import type { ResolveContext } from './context';

const EXPRESSION = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
export const KNOWN_EXPRESSIONS = ['service.name', 'service.path', 'service.image', 'stage.name'] as const;
export type ExpressionScope = Partial<Record<(typeof KNOWN_EXPRESSIONS)[number], string>>;

/**
 * Replaces compile-time `${{ ... }}` expressions in every string of a value; Docker's own `${X}`
 * is left alone. Copy on change: a value without expressions comes back as the same object, so
 * substituting a merged stage costs a walk, not a deep copy (results are never mutated).
 */
export function substitute<T>(value: T, scope: ExpressionScope): T {
  if (typeof value === 'string') {
    if (!value.includes('${{')) return value;
    return value.replace(EXPRESSION, (whole, name: string) => scope[name as keyof ExpressionScope] ?? whole) as T;
  }
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const s = substitute(v, scope);
      if (s !== v) (out ??= [...value])[i] = s;
    });
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const s = substitute(v, scope);
      if (s !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = s;
    }
    return (out ?? value) as T;
  }
  return value;
}

/** Every string in the document: reports expressions that are unknown, or unavailable where they are used. */
export function checkExpressions(ctx: ResolveContext, value: unknown, path: YamlPath): void {
  if (typeof value === 'string') {
    if (!value.includes('${{')) return;
    for (const match of value.matchAll(EXPRESSION)) {
      const name = match[1]!;
      const within = match[0];
      if (!(KNOWN_EXPRESSIONS as readonly string[]).includes(name)) {
        const near = didYouMean(name, KNOWN_EXPRESSIONS);
        ctx.report('UNKNOWN_EXPRESSION', `unknown expression \${{ ${name} }}`, path, {
          within,
          hint: near ?? `known: ${KNOWN_EXPRESSIONS.map((e) => `\${{ ${e} }}`).join(', ')}`,
        });
      } else if (name === 'stage.name' && !path.includes('stages') && !(path.includes('build') && path.includes('cache'))) {
        ctx.report('UNKNOWN_EXPRESSION', `\${{ stage.name }} is only defined inside a stage`, path, { within });
      }
    }
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkExpressions(ctx, v, [...path, i]));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) checkExpressions(ctx, v, [...path, k]);
  }
}
