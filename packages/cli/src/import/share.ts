import { stagesSchema } from '@stagec/core';
import { editDiff } from './edit';
import type { Doc } from './model';

/** Size as the measure counts it: compact JSON bytes. */
export const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '');
export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const MAP_FIELDS = new Set(['args', 'env', 'labels']);

/** The most frequent value (by JSON), first seen wins a tie. */
export function mode<T>(values: readonly T[]): { value: T; count: number } {
  const counts = new Map<string, { value: T; count: number }>();
  for (const v of values) {
    const key = JSON.stringify(v);
    const entry = counts.get(key) ?? { value: v, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  let best: { value: T; count: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best!;
}

function commonPrefix<T>(lists: readonly T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.every((l) => i < l.length && same(l[i], lists[0]![i])); i++) out.push(lists[0]![i]!);
  return out;
}

function commonSuffix<T>(lists: readonly T[][]): T[] {
  return commonPrefix(lists.map((l) => [...l].reverse())).reverse();
}

/** `edit` arrives with language 1.1 (#13); until the schema has it, a child rewrites its steps. */
const EDIT_SUPPORTED = Boolean((stagesSchema as { $defs?: { stage?: { properties?: Record<string, unknown> } } }).$defs?.stage?.properties?.edit);
/** `null` unsets inherited fields with the same language 1.1 inheritance: its schema has `edit` too. */
const NULL_SUPPORTED = EDIT_SUPPORTED;

/** How a child's steps are written against inherited ones: nothing, `append`/`prepend`, `edit`, or `steps`, whichever is smallest. */
export function stepsDiff(child: Doc[] | undefined, base: Doc[] | undefined): Doc {
  const c = child ?? [];
  const b = base ?? [];
  if (same(c, b)) return {};
  const plain = wrapDiff(c, b);
  const edited = EDIT_SUPPORTED && 'steps' in plain ? editDiff(c, b) : undefined;
  return edited && size(edited) < size(plain) ? edited : plain;
}

function wrapDiff(c: Doc[], b: Doc[]): Doc {
  if (b.length === 0 || c.length < b.length) return { steps: c };
  for (let at = 0; at + b.length <= c.length; at++) {
    if (same(c.slice(at, at + b.length), b)) {
      const out: Doc = {};
      if (at > 0) out.prepend = c.slice(0, at);
      if (at + b.length < c.length) out.append = c.slice(at + b.length);
      return out;
    }
  }
  return { steps: c };
}

/**
 * The fields a child stage sets over `base` so that config inheritance (DESIGN 2) gives back
 * `child` exactly; undefined when language 1 cannot say it (a field the base has and the child
 * lacks, an ARG default to take away, or map keys in another order).
 */
export function override(child: Doc, base: Doc): Doc | undefined {
  const out: Doc = {};
  for (const key of Object.keys(base)) if (!(key in child)) {
    if (key === 'steps') out.steps = [];
    else if (MAP_FIELDS.has(key) && key !== 'args') out[key] = Object.fromEntries(Object.keys(base[key] as Doc).map((k) => [k, null]));
    // Language 1.1 (#13): null removes an inherited field; `from` is never removed (MISSING_FROM).
    else if (NULL_SUPPORTED && key !== 'from' && key !== 'args') out[key] = null;
    else return undefined;
  }
  for (const [key, value] of Object.entries(child)) {
    if (key === 'steps') {
      Object.assign(out, stepsDiff(value as Doc[], base.steps as Doc[] | undefined));
      continue;
    }
    if (same(value, base[key])) continue;
    if (MAP_FIELDS.has(key) && base[key] !== undefined) {
      const b = base[key] as Doc;
      const c = value as Doc;
      const removed = Object.keys(b).filter((k) => !(k in c));
      if (removed.length > 0 && key === 'args') return undefined;
      // Inherited keys keep their place, new ones follow: the child's order must be that order.
      const kept = Object.keys(c).filter((k) => k in b);
      if (!same(kept, Object.keys(b).filter((k) => k in c))) return undefined;
      if (Object.keys(c).findIndex((k) => !(k in b)) >= 0 && Object.keys(c).slice(Object.keys(c).findIndex((k) => !(k in b))).some((k) => k in b)) return undefined;
      const diff: Doc = {};
      for (const k of removed) diff[k] = null;
      for (const [k, v] of Object.entries(c)) if (!same(v, b[k])) diff[k] = v;
      out[key] = diff;
    } else out[key] = value;
  }
  return out;
}

/**
 * What stages have in common: every field all of them set, at its most frequent value; for maps
 * the keys they all start with; for steps whichever of the most frequent list, the common prefix
 * or the common suffix costs the children least.
 */
export function consensus(bodies: readonly Doc[]): Doc {
  const out: Doc = {};
  const keys = [...new Set(bodies.flatMap((b) => Object.keys(b)))];
  for (const key of keys) {
    // Every member's field; with null unsets (#13), also one most members have (the others write null).
    const having = bodies.filter((b) => key in b).length;
    if (having < bodies.length && !(NULL_SUPPORTED && !MAP_FIELDS.has(key) && key !== 'steps' && having * 2 > bodies.length)) continue;
    const present = bodies.filter((b) => key in b);
    const values = present.map((b) => b[key]);
    if (key === 'steps') {
      const lists = values as Doc[][];
      const candidates = [mode(lists).value, commonPrefix(lists), commonSuffix(lists)].filter((c) => c.length > 0);
      const cost = (c: Doc[]): number => size(c) + lists.reduce((n, l) => n + size(stepsDiff(l, c)), 0);
      const best = candidates.sort((a, b) => cost(a) - cost(b))[0];
      if (best) out.steps = best;
    } else if (MAP_FIELDS.has(key)) {
      const maps = values as Doc[];
      const prefix = commonPrefix(maps.map((m) => Object.keys(m)));
      if (prefix.length > 0) out[key] = Object.fromEntries(prefix.map((k) => [k, mode(maps.map((m) => m[k])).value]));
    } else out[key] = mode(values).value;
  }
  return out;
}
