import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import { load, type YamlPath } from '../src/load';
import { loadFast } from '../src/load/lex';
import { MAYBE_TYPED, plainValue } from '../src/load/cst-tokens';
import { loadFull } from '../src/load/load';

/**
 * The loader's fast path (lex.ts) against the full path (yaml's Document, the walk, toJS):
 * for generated documents, well-formed ones with every scalar kind, quoting, block scalars
 * with indicators, flow and block collections, comments, anchors, aliases and merge keys, and
 * the same broken or made unusual (tabs, indentation, duplicates, tags, directives, a second
 * document, non-string keys, deep nesting, CRLF, a BOM, stray characters), the fast path
 * either declines or returns exactly the full path's data (key order, and which objects
 * aliases share) while the full path reports nothing; and the positions a later phase asks
 * for are the same.
 */

const FUZZ = process.env.STAGEC_FUZZ === '1';
const runs = (n: number): fc.Parameters<unknown> => (FUZZ ? { numRuns: n * 20 } : { numRuns: n, seed: 20261127 });

type Y =
  | { kind: 'scalar'; text: string; anchor?: string }
  | { kind: 'lines'; lines: string[]; anchor?: string }
  | { kind: 'block'; header: string; lines: string[]; anchor?: string }
  | { kind: 'alias'; name: string }
  | { kind: 'map'; entries: [string | Y, Y, string?][]; anchor?: string; flow: boolean }
  | { kind: 'seq'; items: Y[]; anchor?: string; flow: boolean }
  | { kind: 'merge'; value: string };

const NAMES = ['a', 'b', 'c'];
/** One-line scalars of every kind: each core-schema type in its spellings, strings that look like them, quoting, escapes, odd starts. */
const SCALARS = [
  'plain',
  'two words',
  'a:b',
  'é ü',
  '日本',
  'yes',
  'No',
  'on',
  'y',
  '1',
  '-2',
  '+3',
  '017',
  '1_000',
  '0x1F',
  '0X1F',
  '0o17',
  '0b101',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '1E-3',
  '-1.5e+3',
  '.inf',
  '-.Inf',
  '+.INF',
  '.nan',
  '.NaN',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'null',
  'Null',
  'NULL',
  'nULL',
  '~',
  '<<',
  '12:30',
  '2001-12-14',
  '"double"',
  '"with \\" escape \\t \\x41 \\u263A \\U0001F600"',
  "'single'",
  "'it''s'",
  "''",
];
/** Scalars the full path refuses or reads oddly (tabs, reserved starts, bad escapes, tags, unterminated quotes). */
const ODD_SCALARS = [
  'a #b',
  '${{ vars.x }}',
  'a\tb',
  '@x',
  '`x',
  '%x',
  '-x',
  '?x',
  '"bad \\q"',
  '"unterminated',
  '"1"',
  '"<<"',
  '""',
  "'unterminated",
  '#comment',
  '{a',
  ']',
  '!!str 12',
  '!x y',
  '&e',
];
const KEYS = ['k', 'l', 'm', 'two words', '__proto__', 'toString', 'constructor', 'k#in', '"<<"', '"1"', 'a:b', '"q"', "'r s'"];
/** Keys the full path refuses or the fast path leaves to it: not strings, tagged, anchored, explicit, collections. */
const ODD_KEYS = ['1', '0x10', '1e3', 'true', 'null', '~', '!!str k2', '&c kc', '? ek', '[fk]'];
const HEADERS = ['|', '|-', '|+', '>', '>-', '>+', '|2', '>1-', '|+2', '| # c', '|', '>', '|-'];
const BLOCK_LINES = ['line one', 'more words', '  indented', '', 'line one', '# not a comment', 'x: y', '\ttab'];
const COMMENTS = ['', '', '', '', ' # c', '  #', ' #c:x'];

/** An anchor on about one node in six; names are reused, so an alias finds the latest. */
/** A comment after a value; rarely one glued to it (an error after a quoted scalar or a flow collection, part of a plain one). */
const comment = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...COMMENTS) }, { weight: 1, arbitrary: fc.constant('#glued') });
const anchor = fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...NAMES) });
const scalar = fc.record({
  kind: fc.constant('scalar' as const),
  text: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...SCALARS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_SCALARS) }),
  anchor,
});
const keyText = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) });
const multiline = fc.record({
  kind: fc.constant('lines' as const),
  // A plain, double- or single-quoted scalar over several lines (an empty line folds to a newline).
  lines: fc
    .tuple(
      fc.constantFrom('', '"', "'"),
      fc.array(fc.constantFrom('plain', 'words here', 'x', '', 'a \\ b'), { minLength: 2, maxLength: 3 }),
    )
    .map(([quote, l]) => {
      const words = [l[0] || 'first', ...l.slice(1, -1), l.at(-1) || 'last'].map((w) => (quote === '"' ? w : w.replace(/\\/g, '')));
      return [`${quote}${words[0]}`, ...words.slice(1, -1), `${words.at(-1)}${quote}`];
    }),
  anchor,
});
const blockScalar = fc.record({
  kind: fc.constant('block' as const),
  header: fc.constantFrom(...HEADERS),
  lines: fc.array(fc.constantFrom(...BLOCK_LINES), { minLength: 0, maxLength: 4 }),
  anchor,
});
const alias = fc.record({
  kind: fc.constant('alias' as const),
  name: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.constant('zz') }),
});
const merge = fc.record({
  kind: fc.constant('merge' as const),
  value: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...NAMES).map((n) => `*${n}`) },
    {
      weight: 3,
      arbitrary: fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: 3 }).map((ns) => `[${ns.map((n) => `*${n}`).join(', ')}]`),
    },
    { weight: 1, arbitrary: fc.constantFrom('{ k: 1, z: 2 }', '1', '[*a, { z: 3 }]', '&m [*a]', '[]', '*zz') },
  ),
});

const { tree, map } = fc.letrec<{ tree: Y; map: Y; seq: Y }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: multiline },
    { weight: 1, arbitrary: blockScalar },
    { weight: 1, arbitrary: alias },
    { weight: 3, arbitrary: tie('map') },
    { weight: 2, arbitrary: tie('seq') },
  ),
  map: fc.record({
    kind: fc.constant('map' as const),
    // Keys mostly unique, as a well-formed file has them (duplicates come from the mutations and the odd keys).
    entries: fc.uniqueArray(
      fc.oneof(
        { weight: 40, arbitrary: fc.tuple(keyText, tie('tree'), comment) },
        { weight: 5, arbitrary: fc.tuple(fc.constant('<<'), merge, fc.constant('')) },
        { weight: 1, arbitrary: fc.tuple(alias, scalar, fc.constant('')) },
      ),
      { maxLength: 4, selector: ([k]) => (typeof k === 'string' ? k : JSON.stringify(k)) },
    ),
    anchor,
    flow: fc.boolean(),
  }),
  seq: fc.record({ kind: fc.constant('seq' as const), items: fc.array(tie('tree'), { maxLength: 3 }), anchor, flow: fc.boolean() }),
}));

const prefix = (anchor: string | undefined): string => (anchor ? `&${anchor} ` : '');
const isBlock = (y: Y): boolean =>
  (y.kind === 'map' && !y.flow && y.entries.length > 0) || (y.kind === 'seq' && !y.flow && y.items.length > 0);

/** A node written inside a flow collection (block scalars there are folded into a plain word, as flow has none). */
function flow(y: Y, indent: string): string {
  switch (y.kind) {
    case 'scalar':
      return prefix(y.anchor) + y.text;
    case 'lines':
      return prefix(y.anchor) + y.lines.join(`\n${indent}  `);
    case 'block':
      return `${prefix(y.anchor)}blk`;
    case 'alias':
      return `*${y.name}`;
    case 'merge':
      return y.value;
    case 'map':
      return `${prefix(y.anchor)}{ ${y.entries.map(([k, v]) => `${typeof k === 'string' ? k : `${flow(k, indent)} `}: ${flow(v, indent)}`).join(', ')} }`;
    case 'seq':
      return `${prefix(y.anchor)}[${y.items.map((v) => flow(v, indent)).join(', ')}]`;
  }
}

/** Block style where the generator chose it (and the collection is not empty), flow otherwise. */
function block(y: Y, indent: string): string {
  if (y.kind === 'map' && !y.flow && y.entries.length > 0)
    return y.entries
      .map(([k, v, comment]) => `${indent}${typeof k === 'string' ? k : `${flow(k, indent)} `}:${nested(v, indent + '  ', comment ?? '')}`)
      .join('');
  if (y.kind === 'seq' && !y.flow && y.items.length > 0) return y.items.map((v) => `${indent}-${nested(v, indent + '  ', '')}`).join('');
  return `${indent}${flow(y, indent)}\n`;
}

function nested(y: Y, indent: string, comment: string): string {
  if (isBlock(y)) return ` ${prefix((y as { anchor?: string }).anchor)}${comment}\n${block(y, indent)}`.replace(/^ \n/, '\n');
  if (y.kind === 'block') return ` ${prefix(y.anchor)}${y.header}\n${y.lines.map((l) => (l ? `${indent}${l}\n` : '\n')).join('')}`;
  return ` ${flow(y, indent)}${comment}\n`;
}

/** The root is a mapping, as stages.yaml's is: anchors first (mostly mappings, as `x-` blocks are), then entries that use them. */
const defined = (name: string) =>
  fc
    .oneof({ weight: 6, arbitrary: map }, tree)
    .map((y): [string, Y] => [`x-${name}`, y.kind === 'alias' || y.kind === 'merge' ? y : { ...y, anchor: name }]);
const wellFormed = fc
  .tuple(
    fc.tuple(...NAMES.map(defined)),
    fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS.slice(0, 7)), tree), { minLength: 1, maxLength: 4, selector: ([k]) => k }),
    fc.constantFrom('', '', '# leading comment\n', '---\n', '--- # c\n', '\n\n'),
  )
  // Every name anchored first (so that most aliases find one), then redefined by the generated anchors.
  .map(
    ([anchors, entries, head]) =>
      `${head}x-0: [&a { p: 1 }, &b { q: [r] }, &c { s: t }]\n${block({ kind: 'map', entries: [...anchors, ...entries], flow: false }, '')}`,
  );

/** Ways to break a document, or make it unusual: each either keeps it valid YAML or makes it invalid in one place. */
const MUTATIONS = [
  (t: string) => t.replace(/\n/g, '\r\n'),
  (t: string) => `\uFEFF${t}`,
  (t: string, at: number) => insert(t, at, '\t'),
  (t: string, at: number) => replaceLineStart(t, at, '\t'),
  (t: string, at: number) => replaceLineStart(t, at, ' '),
  (t: string, at: number) => replaceLineStart(t, at, ''),
  (t: string, at: number) => duplicateLine(t, at),
  (t: string, at: number) => insert(t, afterColon(t, at), ' !!str'),
  (t: string, at: number) => insert(t, afterColon(t, at), ' !custom'),
  (t: string, at: number) => insert(t, afterColon(t, at), ' &n'),
  (t: string) => `%YAML 1.2\n---\n${t}`,
  (t: string) => `%TAG !e! tag:example.com,2000:\n---\n${t}`,
  (t: string) => `${t}---\nx: 1\n`,
  (t: string) => `${t}...\n`,
  (t: string) => `${t}...\n# after\n`,
  (t: string) => `1: one\n${t}`,
  (t: string) => `${t}? [a, b]\n: c\n`,
  (t: string) => `deep: ${'['.repeat(70)}1${']'.repeat(70)}\n${t}`,
  (t: string) => `deep: ${'['.repeat(62)}1${']'.repeat(62)}\n${t}`,
  (t: string, at: number, c: string) => insert(t, at, c),
  (t: string, at: number) => t.slice(0, at) + t.slice(at + 1),
  (t: string, at: number) => removeNext(t, at, ','),
  (t: string, at: number) => removeNext(t, at, ':'),
  (t: string) => t.replace('[', '[, ').replace('{ ', '{ , '),
  (t: string) => t.replace(/\]|\}/, ''),
  (t: string) => t.replace(/\n[^\n]*$/, ''),
  // Comment lines at any indentation, blank lines with spaces, other indentation widths, flows over lines.
  (t: string, at: number) => insert(t, lineStart(t, at), '# a comment line\n'),
  (t: string, at: number) => insert(t, lineStart(t, at), '      # an indented comment\n'),
  (t: string, at: number) => insert(t, lineStart(t, at), '   \n\n'),
  (t: string) => t.replace(/^( +)/gm, (s) => s + s),
  (t: string) => t.replace(/^( +)/gm, (s) => s + ' '.repeat(s.length / 2)),
  (t: string, at: number) => replaceLineStart(replaceLineStart(t, at, ''), at, ''),
  (t: string, at: number) => replaceNext(t, at, ', ', ',\n      '),
  (t: string, at: number) => replaceNext(t, at, ', ', ', # c\n    '),
  (t: string, at: number) => replaceNext(t, at, ': ', ':   '),
  (t: string, at: number) => replaceNext(t, at, ': ', ' : '),
  (t: string, at: number) => replaceNext(t, at, '- ', '-\n  '),
  // Over a kilobyte between a value and the next key (a licence header, a commented-out block), or inside a key's line.
  (t: string, at: number, c: string) => insert(t, lineStart(t, at), `${c === ' ' ? '  ' : ''}# ${'x'.repeat(60)}\n`.repeat(20)),
  (t: string, at: number) => insert(t, lineStart(t, at), '\n'.repeat(1100)),
  (t: string, at: number) => replaceNext(t, at, ': ', `${' '.repeat(1030)}: `),
];

function replaceNext(text: string, at: number, what: string, by: string): string {
  const i = text.indexOf(what, Math.min(at, text.length));
  return i < 0 ? text : text.slice(0, i) + by + text.slice(i + what.length);
}
function removeNext(text: string, at: number, what: string): string {
  const i = text.indexOf(what, Math.min(at, text.length));
  return i < 0 ? text : text.slice(0, i) + text.slice(i + 1);
}
function insert(text: string, at: number, what: string): string {
  const i = Math.min(at, text.length);
  return text.slice(0, i) + what + text.slice(i);
}
function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', Math.min(at, text.length) - 1) + 1;
}
function replaceLineStart(text: string, at: number, what: string): string {
  const start = lineStart(text, at);
  return text.slice(0, start) + what + text.slice(start + (text[start] === ' ' ? 1 : 0));
}
function duplicateLine(text: string, at: number): string {
  const start = lineStart(text, at);
  const end = text.indexOf('\n', start);
  return end < 0 ? text : text.slice(0, end + 1) + text.slice(start, end + 1) + text.slice(end + 1);
}
function afterColon(text: string, at: number): number {
  const i = text.indexOf(':', Math.min(at, text.length));
  return i < 0 ? text.length : i + 1;
}

const mutated = fc
  .tuple(
    wellFormed,
    fc.array(fc.tuple(fc.nat(MUTATIONS.length - 1), fc.nat(4000), fc.constantFrom(...':#-?&*!|>\'"%@`{}[], \t\n')), {
      minLength: 1,
      maxLength: 2,
    }),
  )
  .map(([text, steps]) => steps.reduce((t, [m, at, c]) => MUTATIONS[m]!(t, at % (t.length + 1), c), text));

const documents = fc.oneof(
  { weight: 4, arbitrary: wellFormed.map((text) => ({ text, mutated: false })) },
  { weight: 2, arbitrary: mutated.map((text) => ({ text, mutated: true })) },
);

/** The data with key order, and which objects are the same object (aliases share, merges copy), made comparable. */
function canon(value: unknown, ids = new Map<object, number>()): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'number' && Number.isNaN(value) ? 'NaN' : value;
  const id = ids.get(value);
  if (id !== undefined) return { ref: id };
  ids.set(value, ids.size);
  if (Array.isArray(value)) return { id: ids.size - 1, seq: value.map((v) => canon(v, ids)) };
  return {
    id: ids.size - 1,
    proto: Object.getPrototypeOf(value) === Object.prototype,
    map: Object.keys(value).map((k) => [k, canon((value as Record<string, unknown>)[k], ids)]),
  };
}

/** Paths into the data, breadth first, at most `max` of them. */
/** Every number and boolean in the data with its path (each object once: aliases share them). */
function typedLeaves(data: unknown): [YamlPath, number | boolean][] {
  const out: [YamlPath, number | boolean][] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: YamlPath): void => {
    if (typeof value === 'number' || typeof value === 'boolean') out.push([path, value]);
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    for (const [key, child] of Object.entries(value)) visit(child, [...path, Array.isArray(value) ? Number(key) : key]);
  };
  visit(data, []);
  return out;
}

function pathsOf(data: unknown, max: number): YamlPath[] {
  const out: YamlPath[] = [];
  const queue: [unknown, YamlPath][] = [[data, []]];
  while (queue.length > 0 && out.length < max) {
    const [value, path] = queue.shift()!;
    out.push(path);
    if (value === null || typeof value !== 'object') continue;
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      queue.push([child, [...path, Array.isArray(value) ? Number(key) : key]]);
    }
  }
  return out;
}

describe('the fast loader agrees with the full path', () => {
  it(
    'declines, or returns exactly the full path data with no diagnostics; positions are the same',
    () => {
      let accepted = 0;
      let declined = 0;
      let acceptedMutated = 0;
      let withAliases = 0;
      let withMerges = 0;
      let typed = 0;
      fc.assert(
        fc.property(documents, ({ text, mutated }) => {
          const full = loadFull(text, 'stages.yaml');
          const fast = loadFast(text);
          if (fast === undefined) {
            declined++;
            return;
          }
          accepted++;
          if (mutated) acceptedMutated++;
          if (/\*[a-z]/.test(text)) withAliases++;
          if (/<<: \[?\*/.test(text)) withMerges++;
          expect(full.diagnostics).toEqual([]);
          expect(canon(fast)).toEqual(canon(full.data));
          // What later phases read of the source: the lazy index composes the same Document.
          const lazy = load(text, 'stages.yaml');
          // Numbers and booleans as written (what resolve reads of env, args and labels), the Document not needed for it.
          for (const [path, value] of typedLeaves(fast)) {
            expect(lazy.source.writtenText(value, path), `${path.join('.')} in\n${text}`).toBe(
              full.source.scalarText(path) ?? String(value),
            );
            typed++;
          }
          for (const path of pathsOf(fast, 12)) {
            expect(lazy.source.position(path)).toEqual(full.source.position(path));
            expect(lazy.source.position(path, { key: true })).toEqual(full.source.position(path, { key: true }));
            expect(lazy.source.scalarText(path)).toEqual(full.source.scalarText(path));
          }
        }),
        runs(3000),
      );
      // Not vacuous: the fast path must take many documents, with aliases and merges, some mutated (CRLF, `---`, `...`), and decline many.
      expect(accepted).toBeGreaterThan(400);
      expect(acceptedMutated).toBeGreaterThan(30);
      expect(withAliases).toBeGreaterThan(150);
      expect(withMerges).toBeGreaterThan(60);
      expect(typed).toBeGreaterThan(300);
      expect(declined).toBeGreaterThan(1000);
    },
    FUZZ ? 1_800_000 : undefined,
  );

  it("loads every YAML file of the repository's fixtures as the full path does", () => {
    const root = join(__dirname, '../../..');
    const files = [
      'stages.yaml',
      ...readdirSync(join(root, 'test/fixtures'), { recursive: true }).map((f) => join('test/fixtures', String(f))),
    ];
    let fast = 0;
    let checked = 0;
    for (const file of files.filter((f) => /\.(yaml|yml|lock)$/.test(f))) {
      const text = readFileSync(join(root, file), 'utf8');
      const [a, b] = [load(text, file), loadFull(text, file)];
      expect(canon(a.data), file).toEqual(canon(b.data));
      expect(a.diagnostics, file).toEqual(b.diagnostics);
      if (loadFast(text) !== undefined) fast++;
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
    // The fixtures of errors the loader reports are declined; nearly all the others are taken.
    expect(fast).toBeGreaterThan(120);
  });

  it('takes the block layouts of a stages.yaml on the fast path, as the full path reads them', () => {
    const cases = [
      // A sequence at its key's column, then the next key.
      'steps:\n- run: make\n- copy: .\nnext: 1\n',
      // Block scalars under sequences and compact mappings: indented from their parent collection, with indicators.
      '- a: |\n    x\n  b: 2\n- |2\n    y\n- >-\n  folded\n  text\n\n  para\n- |+\n  kept\n\n',
      'header: |\n  line one\n    indented\n\n# a comment\nversion: 1\n',
      // Anchors on the line of their key, on their own line, and merges in every form.
      'x-base: &base\n  user: app\n  workdir: /srv\nx-more: &more { env: { A: "1" } }\nsvc:\n  <<: [*base, *more]\n  user: root\n',
      'x: &x { k: 1 }\ny:\n  <<:\n  - *x\n  j: 2\nz: { <<: *x, l: 3 }\nw: { <<: [] }\n',
      // Flow collections over lines, with comments; comment lines at any indentation; CRLF; a document start.
      'args: { A: "1",\n        B: two } # c\nlist: [a, # c\n  b,\n  c]\n',
      'a:\n  b: 1\n# outdented comment\n  c: 2\n    # indented comment\nd: 3\n',
      '---\r\nversion: 1\r\nlist:\r\n  - a\r\n  - "b"\r\n',
      // Over a kilobyte of comments before the first key, between keys, after an empty value.
      `${'# licence text, line after line\n'.repeat(40)}version: 1\na:\n${'  # commented out\n'.repeat(70)}b: 1\n`,
      // Scalars of every quoting, multi-line plain and quoted.
      'a: \'it\'\'s\'\nb: "tab\\there"\nc: plain\n  continued\nd: "two\n  lines"\ne: ~\nf: 0x1F\ng: -.inf\n',
    ];
    for (const text of cases) {
      const fast = loadFast(text);
      expect(fast, text).toBeDefined();
      const full = loadFull(text, 'stages.yaml');
      expect(full.diagnostics, text).toEqual([]);
      expect(canon(fast), text).toEqual(canon(full.data));
    }
  });

  it('gives numbers and booleans as written without composing the Document, unless one is spelled otherwise', () => {
    const composed = (source: object) => (source as { composed?: unknown }).composed !== undefined;
    const plain = load('env: { PORT: 8080, DEBUG: false }\n', 'stages.yaml').source;
    expect(plain.writtenText(8080, ['env', 'PORT'])).toBe('8080');
    expect(plain.writtenText(false, ['env', 'DEBUG'])).toBe('false');
    expect(composed(plain)).toBe(false);
    const spelled = load('env: { PORT: 0x1F90, DEBUG: False }\n', 'stages.yaml').source;
    expect(spelled.writtenText(8080, ['env', 'PORT'])).toBe('0x1F90');
    expect(spelled.writtenText(false, ['env', 'DEBUG'])).toBe('False');
  });

  it('resolves plain scalars as the core schema does', () => {
    const text = [
      'yes: yes',
      'hex: 0x1F',
      'oct: 0o17',
      'dec: 017',
      'exp: 1e3',
      'float: -1.5',
      'inf: .inf',
      'ninf: -.Inf',
      'nan: .nan',
      'tilde: ~',
      'null: NULL',
      'empty:',
      'true: True',
      'false: FALSE',
      'odd: tRue',
      'str: 0X1F',
      'q: "0x1F"',
      'merge: <<',
      '',
    ].join('\n');
    // (`null:` and `true:` are string keys here only because they are quoted below.)
    const fixed = text
      .replace('null: NULL', '"null": NULL')
      .replace('true: True', '"true": True')
      .replace('false: FALSE', '"false": FALSE');
    const data = loadFast(fixed) as Record<string, unknown>;
    expect(data).toEqual({
      yes: 'yes',
      hex: 31,
      oct: 15,
      dec: 17,
      exp: 1000,
      float: -1.5,
      inf: Infinity,
      ninf: -Infinity,
      nan: NaN,
      tilde: null,
      null: null,
      empty: null,
      true: true,
      false: false,
      odd: 'tRue',
      str: '0X1F',
      q: '0x1F',
      merge: '<<',
    });
    expect(canon(data)).toEqual(canon(loadFull(fixed, 'stages.yaml').data));
  });

  it('takes a plain scalar as a string without testing tags only where no tag of the schema could match', () => {
    const tags = new Document(undefined, { merge: true }).schema.tags;
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.boolean(), (text, atKey) => {
        const c = text.charCodeAt(0);
        if (text.length > 0 && (c >= 128 || MAYBE_TYPED[c] === 0))
          for (const tag of tags)
            if (tag.default && 'test' in tag && tag.test) expect(tag.test.test(text), `${tag.tag} ${text}`).toBe(false);
        if (!text.includes('\n')) expect(typeof plainValue(text, atKey)).toBeTypeOf('string');
      }),
      runs(3000),
    );
  });

  it('declines what the full path reports, with the full path then reporting it', () => {
    const cases: [string, string][] = [
      ['version: 1\nversion: 1\n', 'DUPLICATE_KEY'],
      ['version: 1\n1: x\n', 'INVALID_TYPE'],
      ['version: !!binary aGk=\n', 'INVALID_TYPE'],
      ['%YAML 1.2\n---\nversion: 1\n', ''],
      ['version: 1\n---\nversion: 2\n', 'YAML_SYNTAX'],
      ['version: 1\n\tservices: {}\n', 'YAML_SYNTAX'],
      ['a: *nothing\n', 'YAML_TOO_COMPLEX'],
      ['a: &x [*x]\n', ''],
      ['', 'MISSING_KEY'],
      ['# only a comment\n', 'MISSING_KEY'],
      [`deep: ${'['.repeat(70)}1${']'.repeat(70)}\n`, 'YAML_TOO_COMPLEX'],
      [`base: &b { k: 1 }\nlist:\n${'  - *b\n'.repeat(1001)}`, 'YAML_TOO_COMPLEX'],
      ['m: { <<: 1 }\n', 'YAML_TOO_COMPLEX'],
      ['x: { path: ${{ service.path }} }\n', 'YAML_SYNTAX'],
    ];
    for (const [text, code] of cases) {
      expect(loadFast(text), text).toBeUndefined();
      const codes = load(text, 'stages.yaml').diagnostics.map((d) => d.code);
      if (code) expect(codes, text).toContain(code);
      const [a, b] = [load(text, 'stages.yaml'), loadFull(text, 'stages.yaml')];
      expect([a.data, a.diagnostics]).toEqual([b.data, b.diagnostics]);
    }
  });

  it('shares what aliases name, copies what merges bring in, and counts alias uses up to the bound', () => {
    const text = 'x-a: &a { k: 1, l: [1, 2] }\nuse: *a\nagain: [*a]\nm: { <<: *a, k: 2 }\nn: { j: 0, <<: [*a] }\n';
    const data = loadFast(text) as Record<string, Record<string, unknown>>;
    expect(data.use).toBe(data['x-a']);
    expect((data.again as unknown as unknown[])[0]).toBe(data['x-a']);
    expect(data.m).toEqual({ k: 2, l: [1, 2] });
    expect(data.m!.l).not.toBe(data['x-a']!.l);
    expect(Object.keys(data.n!)).toEqual(['j', 'k', 'l']);
    expect(canon(data)).toEqual(canon(loadFull(text, 'stages.yaml').data));
    // 1,000 uses are within the bound (uses times 1, the anchor holding no alias); more are left to the full path.
    const uses = (n: number) => `base: &b { k: 1 }\nlist:\n${'  - *b\n'.repeat(n)}`;
    expect(loadFast(uses(999))).toBeDefined();
    expect(loadFast(uses(1000))).toBeUndefined();
  });
});
