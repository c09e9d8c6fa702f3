import type { YamlPath } from '../load';
import { didYouMean } from '../util/suggest';
import type { ResolveContext } from './context';

export const EXPRESSION = /\$\{\{\s*([^{}]*?)\s*\}\}/g;
const KNOWN_EXPRESSIONS = ['service.name', 'service.path', 'service.image', 'stage.name'] as const;
/** Expression name (`service.name`, `vars.go_main`) to its value. */
export type ExpressionScope = Readonly<Record<string, string>>;

/**
 * Replaces compile-time `${{ ... }}` expressions in every string of a value; Docker's own `${X}`
 * is left alone. Copy on change: a value without expressions comes back as the same object, so
 * substituting a merged stage costs a walk, not a deep copy (results are never mutated).
 */
export function substitute<T>(value: T, scope: ExpressionScope): T {
  if (typeof value === 'string') {
    if (!value.includes('${{')) return value;
    return value.replace(EXPRESSION, (whole, name: string) => (Object.hasOwn(scope, name) ? scope[name]! : whole)) as T;
  }
  // Index and for-in loops, not forEach/Object.entries: this walks every value of every stage a
  // service substitutes, mostly in cold code, where each entries array and iterator is garbage.
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      const s = substitute(v, scope);
      if (s !== v) (out ??= [...value])[i] = s;
    }
    return (out ?? value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const k in record) {
      if (!Object.hasOwn(record, k)) continue;
      const v = record[k];
      const s = substitute(v, scope);
      if (s !== v) (out ??= { ...record })[k] = s;
    }
    return (out ?? value) as T;
  }
  return value;
}

/**
 * A string of the document at `at` (a live path, copied before it is kept): reports expressions
 * that are unknown, or unavailable where they are used.
 */
export function checkExpression(ctx: ResolveContext, text: string, at: YamlPath): void {
  if (!text.includes('${{')) return;
  const path = [...at];
  for (const match of text.matchAll(EXPRESSION)) {
    const name = match[1]!;
    const within = match[0];
    if (name.startsWith('vars.')) {
      // Which vars exist depends on the service using the string: checked per service (vars.ts).
      if (path.at(-2) === 'vars')
        ctx.report('UNKNOWN_EXPRESSION', 'vars do not expand inside vars', path, { within, hint: 'write the value out' });
      else if (!/^vars\.[A-Za-z_][A-Za-z0-9_-]*$/.test(name))
        ctx.report('UNKNOWN_EXPRESSION', `"${name.slice(5)}" is not a var name`, path, { within });
      continue;
    }
    if (!(KNOWN_EXPRESSIONS as readonly string[]).includes(name)) {
      const near = didYouMean(name, KNOWN_EXPRESSIONS);
      ctx.report('UNKNOWN_EXPRESSION', `unknown expression \${{ ${name} }}`, path, {
        within,
        hint: near ?? `known: ${KNOWN_EXPRESSIONS.map((e) => `\${{ ${e} }}`).join(', ')} and \${{ vars.NAME }}`,
      });
    } else if (name === 'stage.name' && !path.includes('stages') && !(path.includes('build') && path.includes('cache'))) {
      ctx.report('UNKNOWN_EXPRESSION', `\${{ stage.name }} is only defined inside a stage`, path, { within });
    }
  }
}
