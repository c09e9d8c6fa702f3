import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAlias, isCollection, isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node, type YAMLMap } from 'yaml';
import type { Diagnostic } from '../src/diagnostics';
import { load } from '../src/load';
import { keyNotString, PLAIN_TAGS, tagNotPlain } from '../src/load/checks';
import { pairOf, pairsOf, SourceIndex } from '../src/load/source';
import { MAX_ALIAS_COUNT, walk, type AliasTargets } from '../src/load/walk';

/**
 * The loader's one walk (walk.ts) against the general path it replaced: yaml's own visits for
 * the checks, `doc.toJS` for the data and a walk of the data for the depth with aliases
 * expanded. Over generated documents with anchors (names reused), aliases (also as keys),
 * merge keys (`<<: *a`, `<<: [*a, *b]`, inline, invalid), flow and block collections and every
 * scalar kind, the walk must find the same and build equal data, sharing the same objects.
 */

const FUZZ = process.env.FUZZ === '1';
const runs = (n: number): fc.Parameters<unknown> => (FUZZ ? { numRuns: n * 20 } : { numRuns: n, seed: 20261127 });

type Y =
  | { kind: 'scalar'; text: string; anchor?: string }
  | { kind: 'alias'; name: string }
  | { kind: 'map'; entries: [string | Y, Y][]; anchor?: string; flow: boolean }
  | { kind: 'seq'; items: Y[]; anchor?: string; flow: boolean }
  | { kind: 'merge'; value: string };

const NAMES = ['a', 'b', 'c'];
const SCALARS = [
  'plain',
  'two words',
  '"double \\" q"',
  "'single'",
  '1',
  '-2',
  '1.5',
  '0x10',
  '0o7',
  '1e3',
  '.inf',
  '-.inf',
  '.nan',
  'true',
  'False',
  'null',
  '~',
  '""',
  '"<<"',
  '"1"',
  '${{ vars.x }}',
  '!!str 12',
  '!!int "7"',
  '!custom x',
  '!!binary aGk=',
];
const KEYS = [
  'k',
  'l',
  'm',
  'n',
  '__proto__',
  'toString',
  'constructor',
  '"q"',
  '1',
  'true',
  'null',
  '"<<"',
  '!!str <<',
  '!!str k2',
  '&c kc',
];

const anchor = fc.option(fc.constantFrom(...NAMES), { nil: undefined, freq: 2 });
const scalar = fc.record({ kind: fc.constant('scalar' as const), text: fc.constantFrom(...SCALARS), anchor });
const alias = fc.record({ kind: fc.constant('alias' as const), name: fc.constantFrom(...NAMES) });
const merge = fc.record({
  kind: fc.constant('merge' as const),
  value: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NAMES).map((n) => `*${n}`) },
    {
      weight: 3,
      arbitrary: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 }).map((ns) => `[${ns.map((n) => `*${n}`).join(', ')}]`),
    },
    { weight: 1, arbitrary: fc.constantFrom('{ k: 1, z: 2 }', '1', '[*a, { z: 3 }]', '&m { z: 4 }', '[]') },
  ),
});

const { tree, map } = fc.letrec<{ tree: Y; map: Y; seq: Y }>((tie) => ({
  tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, alias, tie('map'), tie('seq')),
  map: fc.record({
    kind: fc.constant('map' as const),
    entries: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KEYS), tie('tree')) },
        { weight: 2, arbitrary: fc.tuple(fc.constant('<<'), merge) },
        { weight: 1, arbitrary: fc.tuple(alias, tie('tree')) },
      ),
      { maxLength: 4 },
    ),
    anchor,
    flow: fc.boolean(),
  }),
  seq: fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('tree'), { maxLength: 3 }), anchor, flow: fc.boolean() }),
}));

const prefix = (anchor: string | undefined): string => (anchor ? `&${anchor} ` : '');

function flow(y: Y): string {
  switch (y.kind) {
    case 'scalar':
      return prefix(y.anchor) + y.text;
    case 'alias':
      return `*${y.name}`;
    case 'merge':
      return y.value;
    case 'map':
      return `${prefix(y.anchor)}{ ${y.entries.map(([k, v]) => `${typeof k === 'string' ? k : `${flow(k)} `}: ${flow(v)}`).join(', ')} }`;
    case 'seq':
      return `${prefix(y.anchor)}[${y.items.map(flow).join(', ')}]`;
  }
}

/** Block style where the generator chose it (and the collection is not empty), flow otherwise. */
function block(y: Y, indent: string): string {
  if (y.kind === 'map' && !y.flow && y.entries.length > 0)
    return y.entries.map(([k, v]) => `${indent}${typeof k === 'string' ? k : `${flow(k)} `}:${nested(v, indent + '  ')}`).join('');
  if (y.kind === 'seq' && !y.flow && y.items.length > 0) return y.items.map((v) => `${indent}-${nested(v, indent + '  ')}`).join('');
  return `${indent}${flow(y)}\n`;
}

function nested(y: Y, indent: string): string {
  if ((y.kind === 'map' && !y.flow && y.entries.length > 0) || (y.kind === 'seq' && !y.flow && y.items.length > 0))
    return ` ${prefix(y.anchor)}\n${block(y, indent)}`.replace(/^ \n/, '\n');
  return ` ${flow(y)}\n`;
}

/**
 * The root is a mapping, as stages.yaml's is: first the anchors (mostly mappings, as `x-`
 * blocks are), so that most aliases find one, then entries that use them; sometimes a block scalar.
 */
const defined = fc
  .tuple(fc.constantFrom(...NAMES), fc.oneof({ weight: 3, arbitrary: map }, tree))
  .map(([name, y]): [string, Y] => [`x-${name}`, y.kind === 'alias' || y.kind === 'merge' ? y : { ...y, anchor: name }]);
const documents = fc
  .tuple(
    fc.array(defined, { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom(...KEYS.slice(0, 4)), tree), { minLength: 1, maxLength: 4 }),
    fc.boolean(),
  )
  .map(
    ([anchors, entries, literal]) =>
      block({ kind: 'map', entries: [...anchors, ...entries], flow: false }, '') + (literal ? 'zz: |\n  line one\n  line two\n' : ''),
  );

// --- The general path the walk replaced: yaml's visits, toJS, and a walk of the data. ---

function reference(doc: Document, source: SourceIndex, file: string) {
  const duplicates: number[] = [];
  let firstAlias: Node | undefined;
  visit(doc, {
    Alias(_, node) {
      firstAlias ??= node;
    },
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) duplicates.push(pair.key.range?.[0] ?? 0);
        else seen.add(pair.key.value);
      }
    },
  });
  const invalid: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair, path) {
      const key = pair.key as Node | null;
      if (isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'symbol')) return;
      const parent = path.at(-1);
      const parentOffset = isMap(parent) && parent.range ? parent.range[0] : 0;
      if (isAlias(key)) {
        // An alias key is what its anchor holds: a string is fine, anything else is refused at the alias.
        const target = key.resolve(doc);
        if (target && !(isScalar(target) && typeof target.value === 'string'))
          invalid.push(keyNotString(key, parentOffset, source, file, target));
        return;
      }
      invalid.push(keyNotString(key, parentOffset, source, file));
    },
    Node(_, node) {
      const tag = (node as { tag?: string }).tag;
      if (tag === undefined || PLAIN_TAGS.has(tag) || isAlias(node)) return;
      invalid.push(tagNotPlain(node, source, file));
    },
  });
  let data: unknown;
  let thrown: string | undefined;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    thrown = (error as Error).message;
  }
  return { duplicates, firstAlias, invalid, data, thrown, deep: tooDeep(doc.contents as Node | null, 1) };
}

function tooDeep(node: Node | null | undefined, level: number): Node | undefined {
  if (!isCollection(node)) return undefined;
  if (level > 64) return node;
  for (const item of node.items) {
    const children = isMap(node) ? [(item as { key?: Node }).key, (item as { value?: Node }).value] : [item as Node];
    for (const child of children) {
      const found = tooDeep(child, level + 1);
      if (found) return found;
    }
  }
  return undefined;
}

function depth(value: unknown, level: number): number {
  if (level > 64 || value === null || typeof value !== 'object') return level;
  let max = level;
  for (const child of Object.values(value as object)) {
    max = Math.max(max, depth(child, level + 1));
    if (max > 64) break;
  }
  return max;
}

/** The data with key order, and which objects are the same object (aliases share, merges copy), made comparable. */
function canon(value: unknown, ids = new Map<object, number>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'symbol' ? `symbol:${String(value)}` : value;
  const id = ids.get(value);
  if (id !== undefined) return { ref: id };
  ids.set(value, ids.size);
  if (Array.isArray(value)) return { id: ids.size - 1, seq: value.map((v) => canon(v, ids)) };
  return { id: ids.size - 1, map: Object.entries(value).map(([k, v]) => [k, canon(v, ids)]) };
}

function both(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: false,
    merge: true,
    logLevel: 'error',
  });
  const targets: AliasTargets = new Map();
  const source = new SourceIndex('stages.yaml', text, doc, lines, targets);
  const walked = walk(doc, source, 'stages.yaml', targets);
  const expected = reference(doc, new SourceIndex('stages.yaml', text, doc, lines), 'stages.yaml');
  return { doc, walked, expected, targets };
}

describe('the loader walk agrees with yaml visits and toJS', () => {
  it('finds the same, and builds the same data whenever it builds', () => {
    let builtCount = 0;
    let aliased = 0;
    let merged = 0;
    fc.assert(
      fc.property(documents, (text) => {
        const { walked, expected } = both(text);
        expect(walked.duplicates).toEqual(expected.duplicates);
        expect(walked.firstAlias).toBe(expected.firstAlias);
        expect(walked.deep).toBe(expected.deep);
        expect(walked.invalid).toEqual(expected.invalid);
        if (walked.built) {
          // Never builds what toJS throws on: that error and its message stay yaml's.
          expect(expected.thrown).toBeUndefined();
          expect(canon(walked.data)).toEqual(canon(expected.data));
          builtCount++;
          if (walked.firstAlias) aliased++;
          if (walked.firstAlias && text.includes('<<: ')) merged++;
          if (!Number.isNaN(walked.height)) expect(Math.min(walked.height, 65)).toBe(Math.min(depth(expected.data, 0), 65));
        }
      }),
      runs(1500),
    );
    // The generator must exercise the fast path, with aliases and merges, not only the fallbacks
    // (its odd forms, inline merge sources, `!!str <<`, unknown anchors, are left to toJS).
    expect(builtCount).toBeGreaterThan(150);
    expect(aliased).toBeGreaterThan(60);
    expect(merged).toBeGreaterThan(10);
  });

  it('resolves aliases as Alias.resolve does, and finds pairs as the pair index does', () => {
    fc.assert(
      fc.property(documents, (text) => {
        const { doc, targets } = both(text);
        const maps: YAMLMap[] = [];
        visit(doc, {
          Alias(_, alias) {
            expect(targets.get(alias)).toBe(alias.resolve(doc));
          },
          Map(_, map) {
            maps.push(map);
          },
        });
        for (const map of maps)
          for (const key of ['k', 'l', 'z', 'p', 'u', '1', 'true', 'null', '__proto__', 'toString', '<<', 'x-a'])
            expect(pairOf(map, key, targets)).toBe(pairsOf(map, targets).get(key));
      }),
      runs(800),
    );
  });

  it('builds merge keys, aliases and cycles as toJS does, and measures their depth', () => {
    const cases = [
      'x: &x { p: 1, q: [1, 2] }\ny: { <<: *x, p: 2 }\nz: { p: 0, <<: [*x, *x] }\n',
      'b: &b { u: 1 }\nc: &c { u: 2, v: 3 }\nd:\n  <<: [*b, *c]\n  w: 4\n',
      'a: &a [*a]\n',
      'a: &a { b: *a }\n',
      'a: &a k\n*a : 2\n',
      's: &s [1]\nt: *s\nu: [*s, *s]\n',
      `${'l: '.repeat(1)}&deep ${'['.repeat(40)}1${']'.repeat(40)}\nm: ${'['.repeat(30)}*deep${']'.repeat(30)}\n`,
    ];
    for (const text of cases) {
      const { walked, expected } = both(text);
      expect(walked.built, text).toBe(true);
      expect(canon(walked.data), text).toEqual(canon(expected.data));
      if (!Number.isNaN(walked.height)) expect(Math.min(walked.height, 65), text).toBe(Math.min(depth(expected.data, 0), 65));
    }
  });

  it('leaves to toJS what it does not build, and load reports the same as before', () => {
    for (const text of ['m: { <<: 1 }\n', 'm: { <<: { k: 1 } }\n', 'a: &a [ { k: 1 } ]\nm: { <<: *a }\n', 'm: { !!str <<: 1 }\n']) {
      const { walked } = both(text);
      expect(walked.built, text).toBe(false);
    }
    expect(load('m: { <<: 1 }\n', 'stages.yaml').diagnostics).toMatchObject([
      { code: 'YAML_TOO_COMPLEX', message: 'aliases expand too much: Merge sources must be maps or map aliases' },
    ]);
    expect(load('m: { <<: [ { k: 1 } ], j: 2 }\n', 'stages.yaml').data).toEqual({ m: { k: 1, j: 2 } });
  });

  it('restarts the use count of anchors inside a merge source, as toJS does when it converts the source again', () => {
    // 600 uses, a merge that converts &v again (count back to 1), 600 more: under the bound of 1000 only with the restart.
    const uses = (n: number): string => `[${Array.from({ length: n }, () => '*v').join(', ')}]`;
    for (const base of ['base: &b { k: &v 1 }', 'base: &b { &v kv: 1 }']) {
      const text = `${base}\nbefore: ${uses(600)}\nmerged: { <<: *b }\nafter: ${uses(600)}\n`;
      const { walked, expected } = both(text);
      expect(expected.thrown, base).toBeUndefined();
      expect(walked.built, base).toBe(true);
      expect(canon(walked.data)).toEqual(canon(expected.data));
    }
  });

  it('keeps the alias bound of toJS, with its message', () => {
    const text = `base: &b { k: 1 }\nlist:\n${'  - *b\n'.repeat(MAX_ALIAS_COUNT)}`;
    const { walked, expected } = both(text);
    expect(expected.thrown).toMatch(/Excessive alias count/);
    expect(walked.built).toBe(false);
    expect(load(text, 'stages.yaml').diagnostics).toMatchObject([
      {
        code: 'YAML_TOO_COMPLEX',
        message: 'aliases expand too much: Excessive alias count indicates a resource exhaustion attack',
        line: 3,
      },
    ]);
  });
});
