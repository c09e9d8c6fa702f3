import type { Doc } from './model';

/**
 * Literals that differ between otherwise equal services become `vars` (DESIGN 10, 11): the
 * services' stages are walked side by side; where a string (or number) differs, the words of
 * the members' values are aligned, and each differing word becomes `${{ vars.<name> }}`. A word
 * that varies the same way in several places (a port in ENV and EXPOSE) is one var.
 */
export interface Varied {
  /** The members' common stages, with expressions where they differed. */
  shared: Doc;
  /** Per member, its values (same order as the input). */
  values: Doc[];
}

const WORD = /[A-Za-z0-9_]+/g;

/** A string's words and what lies between them: `dist/server.js` -> [dist, server, js] and [``, /, ., ``]. */
function split(text: string): { words: string[]; gaps: string[] } {
  const words = text.match(WORD) ?? [];
  const gaps = text.split(WORD);
  return { words, gaps };
}

/** A var's name from where it is used: the ENV key (`PORT` -> `port`), `expose` -> `port`, else the field. */
function nameFrom(path: readonly (string | number)[]): string {
  const keys = path.filter((p): p is string => typeof p === 'string');
  const last = keys.at(-1) ?? 'value';
  if (keys.includes('expose')) return 'port';
  if (['env', 'args', 'labels', 'arg'].includes(keys.at(-2) ?? '')) return last.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  if (['entrypoint', 'cmd'].includes(last) || keys.includes('entrypoint') || keys.includes('cmd')) return 'main';
  if (['src', 'dest'].includes(last)) return 'file';
  if (last === 'run' || last === 'command' || last === 'commands') return 'build';
  return last.replace(/[^A-Za-z0-9_]/g, '_').toLowerCase() || 'value';
}

/** Side-by-side walk; undefined when the members differ in shape (keys, list lengths, word structure). */
export function extractVars(members: readonly Doc[]): Varied | undefined {
  const byVector = new Map<string, string>();
  const values: Doc[] = members.map(() => ({}));
  const taken = new Set<string>();
  const varFor = (vector: string[], path: readonly (string | number)[]): string => {
    const key = JSON.stringify(vector);
    let name = byVector.get(key);
    if (!name) {
      const wanted = nameFrom(path);
      name = wanted;
      for (let n = 2; taken.has(name); n++) name = `${wanted}${n}`;
      taken.add(name);
      byVector.set(key, name);
      vector.forEach((v, i) => (values[i]![name!] = v));
    }
    return `\${{ vars.${name} }}`;
  };
  const walk = (nodes: unknown[], path: (string | number)[]): unknown | typeof FAIL => {
    const first = nodes[0];
    if (nodes.every((n) => JSON.stringify(n) === JSON.stringify(first))) return first;
    if (nodes.every((n) => typeof n === 'string' || typeof n === 'number')) {
      const parts = nodes.map((n) => split(String(n)));
      const gaps = JSON.stringify(parts[0]!.gaps);
      if (!parts.every((p) => JSON.stringify(p.gaps) === gaps)) return FAIL;
      // Expressions already in a value are not words to vary.
      if (nodes.some((n) => String(n).includes('${{'))) return FAIL;
      const out = parts[0]!.gaps.map((gap, i) => {
        if (i === parts[0]!.words.length) return gap;
        const vector = parts.map((p) => p.words[i]!);
        return gap + (vector.every((w) => w === vector[0]) ? vector[0] : varFor(vector, path));
      });
      return out.join('');
    }
    if (nodes.every(Array.isArray)) {
      const lists = nodes as unknown[][];
      if (!lists.every((l) => l.length === lists[0]!.length)) return FAIL;
      const out: unknown[] = [];
      for (let i = 0; i < lists[0]!.length; i++) {
        const v = walk(lists.map((l) => l[i]), [...path, i]);
        if (v === FAIL) return FAIL;
        out.push(v);
      }
      return out;
    }
    if (nodes.every((n) => n !== null && typeof n === 'object' && !Array.isArray(n))) {
      const maps = nodes as Doc[];
      const keys = JSON.stringify(Object.keys(maps[0]!));
      if (!maps.every((m) => JSON.stringify(Object.keys(m)) === keys)) return FAIL;
      const out: Doc = {};
      for (const key of Object.keys(maps[0]!)) {
        const v = walk(maps.map((m) => m[key]), [...path, key]);
        if (v === FAIL) return FAIL;
        out[key] = v;
      }
      return out;
    }
    return FAIL;
  };
  const shared = walk([...members], []);
  if (shared === FAIL) return undefined;
  return { shared: shared as Doc, values };
}

const FAIL = Symbol('fail');
