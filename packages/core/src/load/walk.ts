import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import type { AliasTargets } from './anchors';
import { Builder, type Child } from './build';
import { keyNotString, tagNotPlain, PLAIN_TAGS } from './checks';
import type { SourceIndex } from './source';

/** The documented limit: mappings and lists nested deeper than this are YAML_TOO_COMPLEX. */
export const MAX_DEPTH = 64;
export { MAX_ALIAS_COUNT } from './build';

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
  /**
   * The document as plain data, equal to yaml's `doc.toJS({ maxAliasCount })`; undefined in
   * `built: false` cases, which the walk leaves to toJS (forms it does not build, and anything
   * toJS would throw on, so the error and its message stay yaml's).
   */
  data: unknown;
  built: boolean;
  /** How deep the data nests with aliases expanded; NaN when the walk could not tell (then measure the data). */
  height: number;
}

/**
 * One recursive pass over the document's nodes, in the order of yaml's `visit` (a node, then
 * its children; a pair's key, then its value), that checks and builds the plain data at once.
 * It replaces three visits, a depth walk and toJS: yaml's `visit` freezes a new path array
 * per node, `Alias.resolve(doc)` without a context visits the whole document per call (which
 * made lookups through merge keys quadratic), and toJS goes through generic per-node dispatch.
 * Pure: nodes in, findings out.
 */
export function walk(doc: Document, source: SourceIndex, file: string, targets: AliasTargets, build = true): Walked {
  const walker = new Walker(source, file, targets);
  // Only the checks and the alias targets (a Document composed for positions: the data exists already).
  if (!build) walker.stop();
  let data = walker.node(doc.contents as Child, 1, 0);
  const built = walker.building;
  if (!built) data = undefined;
  return {
    duplicates: walker.duplicates,
    firstAlias: walker.firstAlias,
    deep: walker.deep,
    invalid: walker.invalid,
    data,
    built,
    height: built && !walker.inexact ? walker.h : NaN,
  };
}

/** A level below which nothing counts as deep: what the depth check never descended into (pairs inside a sequence). */
const UNCOUNTED = -Infinity;

/** Maps with at most this many keys are checked for duplicates pairwise, without allocating a Set. */
const SMALL_MAP = 8;
/** Marks a key that is not a scalar: never a duplicate, as the Set check skipped it. */
const NOT_SCALAR = Symbol('not a scalar');

/** The checks, in yaml visit's order; building the data as it goes (build.ts). */
class Walker extends Builder {
  readonly duplicates: number[] = [];
  firstAlias: Alias | undefined;
  deep: Node | undefined;
  readonly invalid: Diagnostic[] = [];
  /** The last pair's key was already an own key of its mapping (set by pair()). */
  again = false;
  /** The latest node with each anchor name, so far in document order. */
  private readonly named = new Map<string, Node>();
  /** Scratch for a small mapping's key values (the duplicate check runs after the walk went deeper, never during). */
  private readonly keys: unknown[] = [];

  constructor(
    private readonly source: SourceIndex,
    private readonly file: string,
    targets: AliasTargets,
  ) {
    super(targets);
  }

  /** Checks `node` and, while building, returns its data. `parentOffset`: where the enclosing mapping starts. */
  node(node: Child, level: number, parentOffset: number): unknown {
    this.h = 0;
    if (node === null || node === undefined) return node;
    if (isPair(node)) {
      this.stop();
      this.pair(undefined, node, UNCOUNTED, parentOffset);
      return undefined;
    }
    if (isAlias(node)) {
      this.aliasSeen(node);
      return this.building ? this.attempt(() => this.alias(node)) : undefined;
    }
    const tag = node.tag;
    if (tag !== undefined && !PLAIN_TAGS.has(tag)) this.invalid.push(tagNotPlain(node, this.source, this.file));
    // Pre-order, as Alias.resolve sees it: an alias inside its own anchored node finds that node.
    if (node.anchor) this.named.set(node.anchor, node);
    if (isScalar(node)) {
      const value: unknown = node.value;
      // A tagged scalar can be an object (`!!binary` is a Uint8Array), whose depth the data walk counts: so measure it.
      if (typeof value === 'object' && value !== null) this.inexact = true;
      if (this.building && node.anchor) this.anchors.set(node, { res: value, count: 1, aliasCount: 0, height: 0 });
      return value;
    }
    if (level > MAX_DEPTH) this.deep ??= node;
    if (isMap(node)) {
      const items = node.items;
      const mark = this.duplicates.length;
      const offset = node.range ? node.range[0] : 0;
      const map: Record<string, unknown> = {};
      const anchored = this.building && node.anchor ? this.anchor(node, map) : undefined;
      let height = 0;
      // With string keys only (no merge key), the object built tells the duplicates: a key it already owns.
      let strings = true;
      let found: number[] | undefined;
      for (let i = 0; i < items.length; i++) {
        const pair = items[i]!;
        const key = pair.key;
        if (!isScalar(key) || typeof key.value !== 'string') strings = false;
        const h = this.pair(map, pair, level + 1, offset);
        if (this.again) (found ??= []).push((key as Node).range?.[0] ?? 0);
        if (h > height) height = h;
      }
      // Otherwise, or if the object is incomplete (building stopped), compare the keys' values.
      const duplicates = strings && this.building ? found : this.duplicateKeys(items);
      // All of a mapping's duplicates before any nested mapping's, as yaml's visit reported them.
      if (duplicates) this.duplicates.splice(mark, 0, ...duplicates);
      return this.done(anchored, height, map);
    }
    if (isSeq(node)) {
      const items = node.items as Child[];
      const seq: unknown[] = [];
      const anchored = this.building && node.anchor ? this.anchor(node, seq) : undefined;
      let height = 0;
      for (let i = 0; i < items.length; i++) {
        // A pair directly in a sequence (`!!omap`, `!!pairs`) is checked, but the depth check never went below it.
        seq.push(this.node(items[i], isPair(items[i]) ? UNCOUNTED : level + 1, 0));
        if (this.h + 1 > height) height = this.h + 1;
      }
      return this.done(anchored, height, seq);
    }
    this.stop();
    return undefined;
  }

  /**
   * A pair of a mapping: checks its key, then walks key and value; while building, adds it to
   * `map`. Returns the height it adds to the mapping (1 + its value's).
   */
  private pair(map: Record<string, unknown> | undefined, pair: Pair, level: number, parentOffset: number): number {
    const key = pair.key as Child;
    const merge = isScalar(key) && typeof key.value === 'symbol';
    // A merge key (`<<`) is a symbol once `merge` is on; an alias key resolves to its anchor, checked there.
    if (!(merge || (isScalar(key) && typeof key.value === 'string')) && !isAlias(key))
      this.invalid.push(keyNotString(key as Node | null, parentOffset, this.source, this.file));
    if (merge) {
      this.again = false;
      return this.merge(map, key, pair.value as Child, level);
    }
    // toJS would take a plain `!!str <<` key as a merge key too: leave that to it.
    if (isScalar(key) && key.value === '<<' && (!key.type || key.type === 'PLAIN')) this.stop();
    const name = this.node(key, level, 0);
    if (isAlias(key)) {
      // Its anchor was checked as a node, not as a key: toJS would stringify a collection ("[object Object]", with a warning) or a number.
      const target = this.targets.get(key);
      if (target && !(isScalar(target) && typeof target.value === 'string'))
        this.invalid.push(keyNotString(key, parentOffset, this.source, this.file, target));
    }
    const value = this.node(pair.value as Child, level, 0);
    const height = this.h + 1;
    this.again = false;
    if (!this.building || map === undefined) return height;
    if (typeof name === 'string') this.again = this.set(map, name, value);
    // Only an alias key can get here unflagged; toJS stringifies what it resolves to.
    else if (name !== null && typeof name === 'object') this.stop();
    else this.set(map, name === null ? '' : String(name as string | number | boolean), value);
    return height;
  }

  /** `<<: *a` and `<<: [*a, *b]`; any other merge value is left to toJS. Returns the height it adds. */
  private merge(map: Record<string, unknown> | undefined, key: Node, value: Child, level: number): number {
    // The key itself is only checked: toJS never converts a merge key.
    if (key.anchor || key.tag !== undefined) this.stop();
    const building = this.building;
    this.building = false;
    this.node(key, level, 0);
    this.building = building;
    let height = 0;
    if (isAlias(value)) {
      this.aliasSeen(value); // the merge below resolves it (once: each resolution counts a use)
      if (this.building && map) height = this.attempt(() => this.mergeAlias(map, value, false)) as number;
    } else if (isSeq(value) && !value.anchor && value.tag === undefined && value.items.every((item) => isAlias(item))) {
      if (level > MAX_DEPTH) this.deep ??= value;
      for (const item of value.items as Alias[]) this.aliasSeen(item);
      if (this.building && map)
        for (const item of value.items as Alias[]) {
          const h = this.attempt(() => this.mergeAlias(map, item, true)) as number;
          if (h > height) height = h;
        }
    } else {
      this.stop();
      this.node(value, level, 0);
    }
    return height;
  }

  /** What the checks and the source index need of an alias: the first one, and what each points at. */
  private aliasSeen(alias: Alias): void {
    this.firstAlias ??= alias;
    this.targets.set(alias, this.named.get(alias.source));
  }

  /** Offsets of keys equal (SameValueZero) to an earlier key's value, scalar keys only; undefined for none. */
  private duplicateKeys(items: readonly Pair[]): number[] | undefined {
    let found: number[] | undefined;
    if (items.length <= SMALL_MAP) {
      // Each key's value read once (NOT_SCALAR for other keys), then compared pairwise.
      const keys = this.keys;
      for (let i = 0; i < items.length; i++) {
        const key = items[i]!.key;
        keys[i] = isScalar(key) ? key.value : NOT_SCALAR;
      }
      for (let i = 1; i < items.length; i++) {
        const value = keys[i];
        if (value === NOT_SCALAR) continue;
        for (let j = 0; j < i; j++) {
          const earlier = keys[j];
          // SameValueZero, as the Set below compares: NaN equals NaN.
          if (earlier === value || (earlier !== earlier && value !== value)) {
            (found ??= []).push((items[i]!.key as Node).range?.[0] ?? 0);
            break;
          }
        }
      }
      return found;
    }
    const seen = new Set<unknown>();
    for (const pair of items) {
      if (!isScalar(pair.key)) continue;
      const value: unknown = pair.key.value;
      if (seen.has(value)) (found ??= []).push(pair.key.range?.[0] ?? 0);
      else seen.add(value);
    }
    return found;
  }
}

export type { AliasTargets } from './anchors';
