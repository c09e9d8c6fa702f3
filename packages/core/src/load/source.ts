import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Alias,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml';
import type { Position } from '../diagnostics';

export type YamlPath = readonly (string | number)[];

/** What positions are read from: yaml's Document, its line starts and each alias's anchored node. */
export interface Composed {
  doc: Document | undefined;
  lines: LineCounter;
  /** Each alias's anchored node, filled by the loader's walk: never `Alias.resolve(doc)`, which visits the whole document per call. */
  targets: ReadonlyMap<Alias, Node | undefined>;
}

/**
 * Maps paths in the loaded data back to ranges in the YAML text. Every later phase reports
 * positions through this, so a diagnostic or an `explain` line points at the node it is about.
 * Made `lazy`, it composes the Document only when a position is first asked for: a clean
 * config never asks, so the loader's fast path (lex.ts) need not build one.
 */
export class SourceIndex {
  private composed: Composed | undefined;
  private compose: (() => Composed) | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    doc?: Document,
    lines?: LineCounter,
    targets: ReadonlyMap<Alias, Node | undefined> = new Map(),
  ) {
    if (lines) this.composed = { doc, lines, targets };
  }

  /** Every number and boolean is spelled as String(value) (the fast loader checked): `writtenText` needs no Document. */
  private typedAsWritten = false;

  /** An index whose Document `compose` builds on first use (once). */
  static lazy(file: string, text: string, compose: () => Composed, typedAsWritten: boolean): SourceIndex {
    const index = new SourceIndex(file, text);
    index.compose = compose;
    index.typedAsWritten = typedAsWritten;
    return index;
  }

  /** A YAML number or boolean at `path` as its author wrote it (`0x1F`, `1.50`, `True`). */
  writtenText(value: number | boolean, path: YamlPath): string {
    return this.typedAsWritten ? String(value) : (this.scalarText(path) ?? String(value));
  }

  private get parts(): Composed {
    if (!this.composed) {
      this.composed = this.compose!();
      this.compose = undefined;
    }
    return this.composed;
  }

  /**
   * The range of the value at `path` (or of its key with `key: true`); the nearest ancestor if
   * the path is not in the text. With `within`, the range of that text inside the node's
   * source, where it appears literally (an expression inside a longer string).
   */
  position(path: YamlPath, options: { key?: boolean; within?: string } = {}): Position {
    const found = this.find(path);
    const node = options.key && found.key ? found.key : found.node;
    const range = node?.range;
    if (!range) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
    let at = -1;
    if (options.within && found.exact && isScalar(node)) {
      const source = this.text.slice(range[0], range[1]);
      // A block scalar's first line is its header (`|`, `>-`), which may carry a comment.
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      const body = block ? source.indexOf('\n') + 1 : 0;
      if (!block || body > 0) at = source.indexOf(options.within, body);
    }
    if (at >= 0) return this.offsets(range[0] + at, range[0] + at + options.within!.length);
    return this.offsets(range[0], range[1]);
  }

  offsets(start: number, end: number): Position {
    const lines = this.parts.lines;
    const a = lines.linePos(start);
    // A node's end is exclusive; keep the caret on the node's last line, not the next one.
    const b = lines.linePos(Math.max(start, trimEnd(this.text, end)));
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  }

  /** The author's text of a scalar (so `1.10` stays "1.10", not 1.1). */
  scalarText(path: YamlPath): string | undefined {
    const { node, exact } = this.find(path);
    if (!exact || !isScalar(node)) return undefined;
    return typeof node.source === 'string' ? node.source : undefined;
  }

  private find(path: YamlPath): { node?: Node; key?: Node; exact: boolean } {
    const { doc, targets } = this.parts;
    let node: unknown = doc?.contents;
    let key: Node | undefined;
    for (const segment of path) {
      if (isAlias(node)) node = targets.get(node);
      if (isMap(node)) {
        const pair = pairOf(node, String(segment), targets);
        if (!pair) return { node: node as Node, key, exact: false };
        key = pair.key as Node;
        node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
        key = undefined;
        node = node.items[segment];
      } else {
        return { node: node as Node | undefined, key, exact: false };
      }
    }
    return { node: node as Node, key, exact: true };
  }
}

/** Mappings up to this size are searched in place: an index per small mapping (one per service) cost more than it saved. */
const SMALL_MAP = 16;

/** The pair for `key` in `map`, its own first, else what its merge keys bring in (pairsOf). */
export function pairOf(map: YAMLMap, key: string, targets: ReadonlyMap<Alias, Node | undefined>): Pair | undefined {
  if (map.items.length > SMALL_MAP) return pairsOf(map, targets).get(key);
  let merges = false;
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const value: unknown = pair.key.value;
    if (typeof value === 'symbol') merges = true;
    // The first pair with the key, as the index keeps it; own keys win over merged ones.
    else if (typeof value === 'string' ? value === key : String(value) === key) return pair;
  }
  return merges ? pairsOf(map, targets).get(key) : undefined;
}

/**
 * Each mapping's pairs by key, built once: lookups per service stay constant-time in big files.
 * Keys a merge key (`<<: *base` or `<<: [*a, *b]`) brings in point at their definition in the
 * anchored mapping; the mapping's own keys win, then earlier merge sources, as YAML merges them.
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
export function pairsOf(map: YAMLMap, targets: ReadonlyMap<Alias, Node | undefined>, seen = new Set<YAMLMap>()): Map<string, Pair> {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    const merges: unknown[] = [];
    for (const pair of map.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      if (typeof pair.key.value === 'symbol') merges.push(...(isSeq(pair.value) ? pair.value.items : [pair.value]));
      else if (!index.has(String(pair.key.value))) index.set(String(pair.key.value), pair);
    }
    seen.add(map);
    for (let source of merges) {
      if (isAlias(source)) source = targets.get(source);
      if (!isMap(source) || seen.has(source)) continue;
      for (const [key, pair] of pairsOf(source, targets, seen)) if (!index.has(key)) index.set(key, pair);
    }
    pairIndex.set(map, index);
  }
  return index;
}

function trimEnd(text: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1] ?? '')) i--;
  return i;
}
