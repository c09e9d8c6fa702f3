import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Node, type Pair } from 'yaml';
import { countUse, Fallback, type AliasTargets, type Anchored } from './anchors';

/** yaml's bound on alias use (uses of an anchor times the aliases inside it). */
export const MAX_ALIAS_COUNT = 1000;

export type Child = Node | Pair | null | undefined;
type Target = Record<string, unknown> | Map<unknown, unknown>;

/**
 * The plain data, built as yaml's toJS builds it (`keep`, objects, `maxAliasCount`): anchored
 * values registered when created, aliases resolved to the last anchor before them with their
 * use counted and bounded, merge keys through an alias or a list of aliases (the mapping's own
 * keys win, then earlier sources), and how deep it nests with aliases expanded. The walk
 * (walk.ts) drives it node by node; what it does not build it leaves to toJS (`stop`).
 */
export class Builder {
  /** Still building data; false once the walk met something it leaves to toJS. */
  building = true;
  /** The height of the value the last node() or plain() call returned (0 for a scalar, 1 for `{a: 1}`). */
  h = 0;
  /** A merge brought in a collection, or an own key replaced a merged one: heights are not exact. */
  inexact = false;
  /** yaml toJS's `ctx.anchors`: per anchored node, the value it became and its use counts. */
  protected readonly anchors = new Map<unknown, Anchored>();

  constructor(protected readonly targets: AliasTargets) {}

  /** yaml's addMergeToJSMap for one alias: adds the anchored mapping's entries that `map` lacks; returns the height they add. */
  protected mergeAlias(map: Target, alias: Alias, inSequence: boolean): number {
    const { node } = this.resolve(alias);
    // An alias to a list (`<<: *list`) merges each item; rare, so left to toJS.
    if (!inSequence && isSeq(node)) throw new Fallback();
    if (!isMap(node)) throw new Fallback(); // toJS throws 'Merge sources must be maps or map aliases'
    const entries = new Map<unknown, unknown>();
    for (const pair of node.items) this.plainPair(entries, pair);
    let height = 0;
    for (const [name, value] of entries) {
      if (map instanceof Map) {
        if (!map.has(name)) map.set(name, value);
        continue;
      }
      if (Object.prototype.hasOwnProperty.call(map, name as string)) continue;
      Object.defineProperty(map, name as string, { value, writable: true, enumerable: true, configurable: true });
      // A merged collection's height is not tracked: measure the data instead.
      if (value !== null && typeof value === 'object') this.inexact = true;
      else height = 1;
    }
    return height;
  }

  /** Data of a node outside the walk's order (a merge source, built again as toJS does), nothing checked. */
  private plain(node: Child): unknown {
    this.h = NaN;
    if (node === null || node === undefined) return node;
    if (isAlias(node)) return this.alias(node);
    if (isScalar(node)) {
      if (node.anchor) this.anchors.set(node, { res: node.value, count: 1, aliasCount: 0, height: NaN });
      return node.value;
    }
    if (isMap(node)) {
      const map: Record<string, unknown> = {};
      if (node.anchor) this.anchors.set(node, { res: map, count: 1, aliasCount: 0, height: NaN });
      for (const pair of node.items) this.plainPair(map, pair);
      return map;
    }
    if (isSeq(node)) {
      const seq: unknown[] = [];
      if (node.anchor) this.anchors.set(node, { res: seq, count: 1, aliasCount: 0, height: NaN });
      for (const item of node.items as Child[]) {
        if (isPair(item)) throw new Fallback();
        seq.push(this.plain(item));
      }
      return seq;
    }
    throw new Fallback();
  }

  private plainPair(map: Target, pair: Pair): void {
    const key = pair.key as Child;
    if (isScalar(key) && typeof key.value === 'symbol') {
      const value = pair.value as Child;
      if (isAlias(value)) this.mergeAlias(map, value, false);
      else if (isSeq(value) && value.items.every((item) => isAlias(item)))
        for (const item of value.items as Alias[]) this.mergeAlias(map, item, true);
      else throw new Fallback();
      return;
    }
    if (!isScalar(key) || typeof key.value !== 'string' || (key.value === '<<' && (!key.type || key.type === 'PLAIN')))
      throw new Fallback();
    // toJS converts the key again too: an anchored key is registered anew (its use count restarts).
    if (key.anchor) this.anchors.set(key, { res: key.value, count: 1, aliasCount: 0, height: NaN });
    const value = this.plain(pair.value as Child);
    if (map instanceof Map) map.set(key.value, value);
    else this.set(map, key.value, value);
  }

  /** Alias.resolve with toJS's context: the anchored node's data, its use counted and bounded. */
  private resolve(alias: Alias): { node: Node; data: Anchored } {
    // Not yet reached by the walk (a merge source built again from inside its own anchor): leave it to toJS.
    if (!this.targets.has(alias)) throw new Fallback();
    const node = this.targets.get(alias);
    const data = node && this.anchors.get(node);
    // An anchor toJS would convert only now (one it never converted in place, like a merge key's): leave it to toJS.
    if (!node || !data) throw new Fallback();
    countUse(data, node, MAX_ALIAS_COUNT, this.targets, this.anchors);
    return { node, data };
  }

  protected alias(alias: Alias): unknown {
    const { data } = this.resolve(alias);
    this.h = data.height;
    if (Number.isNaN(data.height)) this.inexact = true;
    return data.res;
  }

  protected anchor(node: Node, res: unknown): Anchored {
    const data: Anchored = { res, count: 1, aliasCount: 0, height: Infinity };
    this.anchors.set(node, data);
    return data;
  }

  protected done(anchored: Anchored | undefined, height: number, res: unknown): unknown {
    if (anchored) anchored.height = height;
    this.h = height;
    return res;
  }

  /** Runs a building step; anything it throws (a bound, a form left to toJS) ends building, never the checks. */
  protected attempt(step: () => unknown): unknown {
    try {
      return step();
    } catch {
      this.stop();
      return 0;
    }
  }

  stop(): void {
    this.building = false;
  }

  /**
   * addPairToJSMap's assignment: a key already present on the object or its prototype
   * (`__proto__`, `toString`) is defined as an own property, never assigned through. True when
   * the object already owned the key (a duplicate, or a key a merge brought in).
   */
  protected set(map: Record<string, unknown>, name: string, value: unknown): boolean {
    if (!(name in map)) {
      map[name] = value;
      return false;
    }
    const own = Object.prototype.hasOwnProperty.call(map, name);
    // An own key replacing a merged one (or a duplicate): the replaced value's height no longer counts.
    if (own) this.inexact = true;
    Object.defineProperty(map, name, { value, writable: true, enumerable: true, configurable: true });
    return own;
  }
}
