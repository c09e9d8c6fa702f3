import { decline } from './cst-tokens';
import type { Pairs } from './pairs';

/** An anchored value of the Lexer path, as yaml's toJS keeps it (`ctx.anchors`), with what the path needs to know of it. */
export interface Anchor {
  res: unknown;
  count: number;
  open: boolean;
  /** Its value holds an alias, a merge or an anchor: uses through it are left to the other paths. */
  nested: boolean;
  empty: boolean;
  isMap: boolean;
  height: number;
}

/**
 * The anchors, aliases and merges of the Lexer path (lex.ts): each anchor's latest value in
 * document order, alias uses counted against yaml's bound, merge sources copied in.
 */
export class Anchors {
  /** The height of the value last built, aliases expanded. */
  protected h = 0;
  /** Aliases, merges and anchors met so far. */
  protected marks = 0;
  private readonly named = new Map<string, Anchor>();

  /** The anchor an alias (`*name`) names, for a use or a merge. */
  protected target(name: string): Anchor {
    this.marks++;
    if (name.length < 2 || name.endsWith(':')) decline();
    const source = this.named.get(name.substring(1));
    // Unknown, still open (a cycle), or holding aliases, merges or anchors (their counts and copies are not mirrored here).
    if (!source || source.open) decline();
    if (source.nested) decline();
    return source;
  }

  protected define(anchor: string | undefined, res: unknown, open: boolean, isMap: boolean, height: number): Anchor | undefined {
    if (anchor === undefined) return undefined;
    this.marks++;
    const entry: Anchor = { res, count: 1, open, nested: false, empty: false, isMap, height };
    this.named.set(anchor, entry);
    return entry;
  }

  protected close(entry: Anchor | undefined, marks: number, height: number, empty: boolean): void {
    if (!entry) return;
    entry.open = false;
    entry.nested = this.marks !== marks;
    entry.empty = empty;
    entry.height = height;
  }

  protected empty(anchor: string | undefined): null {
    this.define(anchor, null, false, false, 0);
    this.h = 0;
    return null;
  }

  /** addMergeToJSMap: each source's entries the mapping lacks, earlier sources first. */
  protected mergeFrom(pairs: Pairs, sources: Anchor[]): number {
    this.marks++;
    let height = 0;
    for (const source of sources) {
      // 'Merge sources must be maps or map aliases'; toJS builds the source again, here copied (it holds no alias or anchor).
      if (!source.isMap) decline();
      pairs.merge(copy(source.res) as Record<string, unknown>);
      // Not exact (a merged key may be replaced), but never lower: the depth check stays safe.
      if (source.height > height) height = source.height;
    }
    this.h = height;
    return height;
  }
}

/** A merge source's data built again: equal, with new objects (the source holds no alias, so nothing is shared). */
function copy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copy);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = copy((value as Record<string, unknown>)[key]);
    if (key in out) Object.defineProperty(out, key, { value: v, writable: true, enumerable: true, configurable: true });
    else out[key] = v;
  }
  return out;
}
