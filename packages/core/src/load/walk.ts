import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import { keyNotString, tagNotPlain, PLAIN_TAGS } from './checks';
import type { SourceIndex } from './source';

/** The documented limit: mappings and lists nested deeper than this are YAML_TOO_COMPLEX. */
export const MAX_DEPTH = 64;

/** What one walk over the composed document finds. */
export interface Walked {
  /** Offsets of keys that repeat an earlier key of the same mapping, mapping by mapping in document order. */
  duplicates: number[];
  /** The first alias in document order (merge keys' aliases included). */
  firstAlias: Alias | undefined;
  /** The first collection nested deeper than MAX_DEPTH, in document order (aliases not followed). */
  deep: Node | undefined;
  /** Keys that are not strings, and tags other than the core schema's (INVALID_TYPE), in document order. */
  invalid: Diagnostic[];
}

/** Each alias's anchored node: the last node with that anchor before the alias, in document order. */
export type AliasTargets = Map<Alias, Node | undefined>;

type Child = Node | Pair | null | undefined;

/**
 * One recursive pass over the document's nodes, in the order of yaml's `visit` (a node, then
 * its children; a pair's key, then its value). It replaces three visits and a depth walk:
 * yaml's `visit` freezes a new path array per node, and `Alias.resolve(doc)` without a
 * context visits the whole document per call, which made lookups through merge keys
 * quadratic. Pure: nodes in, findings out.
 */
export function walk(doc: Document, source: SourceIndex, file: string, targets: AliasTargets): Walked {
  const walker = new Walker(source, file, targets);
  walker.node(doc.contents as Child, 1, 0);
  return {
    duplicates: walker.duplicates,
    firstAlias: walker.firstAlias,
    deep: walker.deep,
    invalid: walker.invalid,
  };
}

/** A level below which nothing counts as deep: what `tooDeep` never descended into (pairs inside a sequence). */
const UNCOUNTED = -Infinity;

/** Maps with at most this many keys are checked for duplicates pairwise, without allocating a Set. */
const SMALL_MAP = 8;

class Walker {
  readonly duplicates: number[] = [];
  firstAlias: Alias | undefined;
  deep: Node | undefined;
  readonly invalid: Diagnostic[] = [];
  /** The latest node with each anchor name, so far in document order. */
  private readonly named = new Map<string, Node>();

  constructor(
    private readonly source: SourceIndex,
    private readonly file: string,
    private readonly targets: AliasTargets,
  ) {}

  /** `parentOffset`: where the enclosing mapping starts, for a pair whose key has no range. */
  node(node: Child, level: number, parentOffset: number): void {
    if (node === null || node === undefined) return;
    if (isPair(node)) {
      this.pair(node, UNCOUNTED, parentOffset);
      return;
    }
    if (isAlias(node)) {
      this.firstAlias ??= node;
      this.targets.set(node, this.named.get(node.source));
      return;
    }
    const tag = node.tag;
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) this.invalid.push(tagNotPlain(node, this.source, this.file));
    // Pre-order, as Alias.resolve sees it: an alias inside its own anchored node finds that node.
    if (node.anchor) this.named.set(node.anchor, node);
    if (isMap(node)) {
      if (level > MAX_DEPTH) this.deep ??= node;
      const items = node.items;
      // All of a mapping's duplicates before any nested mapping's, as the visit reported them.
      this.duplicateKeys(items);
      const offset = node.range ? node.range[0] : 0;
      for (let i = 0; i < items.length; i++) this.pair(items[i]!, level + 1, offset);
    } else if (isSeq(node)) {
      if (level > MAX_DEPTH) this.deep ??= node;
      const items = node.items as Child[];
      // A pair directly in a sequence (`!!omap`, `!!pairs`) is checked, but the depth walk never went below it.
      for (let i = 0; i < items.length; i++) this.node(items[i], isPair(items[i]) ? UNCOUNTED : level + 1, 0);
    }
  }

  private pair(pair: Pair, level: number, parentOffset: number): void {
    const key = pair.key as Child;
    // A merge key (`<<`) is a symbol once `merge` is on; an alias key resolves to its anchor, checked there.
    if (!(isScalar(key) && (typeof key.value === 'string' || typeof key.value === 'symbol')) && !isAlias(key))
      this.invalid.push(keyNotString(key as Node | null, parentOffset, this.source, this.file));
    this.node(key, level, 0);
    this.node(pair.value as Child, level, 0);
  }

  private duplicateKeys(items: readonly Pair[]): void {
    if (items.length <= SMALL_MAP) {
      for (let i = 1; i < items.length; i++) {
        const key = items[i]!.key;
        if (!isScalar(key)) continue;
        const value: unknown = key.value;
        for (let j = 0; j < i; j++) {
          const earlier = items[j]!.key;
          // SameValueZero, as the Set below compares: NaN equals NaN.
          if (isScalar(earlier) && (earlier.value === value || (earlier.value !== earlier.value && value !== value))) {
            this.duplicates.push(key.range?.[0] ?? 0);
            break;
          }
        }
      }
      return;
    }
    const seen = new Set<unknown>();
    for (const pair of items) {
      if (!isScalar(pair.key)) continue;
      const value: unknown = pair.key.value;
      if (seen.has(value)) this.duplicates.push(pair.key.range?.[0] ?? 0);
      else seen.add(value);
    }
  }
}
