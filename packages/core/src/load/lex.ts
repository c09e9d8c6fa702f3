import { CST } from 'yaml';
import { MAX_ALIAS_COUNT } from './build';
import { decline, plainValue, scalarText } from './cst-tokens';
import { Anchors, type Anchor } from './lex-anchors';
import { Cursor } from './lex-cursor';
import { Pairs } from './pairs';
import { MAX_DEPTH } from './walk';

/**
 * The fastest path of the loader: the plain data straight from yaml's Lexer, for the block
 * layout a stages.yaml is written in (block maps and sequences by indentation, flow
 * collections, scalars of every quoting, block scalars, comments, anchors, aliases, merge
 * keys), without yaml's Parser building a CST that lives until the end of the file (most of
 * the loader's garbage-collection time). The Lexer is the one the full path runs, so the
 * tokens are the same; this groups them as the Parser would for that layout and declines on
 * anything else: a tab, a tag, an explicit key, a directive or second document, a key that is
 * not a one-line string, an indentation it does not expect, a comment glued to a token, a
 * duplicate key, nesting or aliases near their limits: it returns undefined, and the full path
 * (load.ts) runs and reports exactly as before. So whenever it returns data, the full path
 * would return equal data and no diagnostic; the property test holds it to that.
 */
export function loadLexed(text: string): Lexed | undefined {
  try {
    const composer = new LexComposer(text);
    return { data: composer.document(), typedAsWritten: composer.typedAsWritten };
  } catch {
    // A decline, or anything unforeseen (a stack overflow on absurd input): the full path decides.
    return undefined;
  }
}

export interface Lexed {
  data: unknown;
  /**
   * Every YAML number and boolean in the file is spelled as String(value) gives it (`8080`, not
   * `0x1F0`, `8.0e3` or `True`): its text as written is known without the Document.
   */
  typedAsWritten: boolean;
}

/** The data alone (the tests'). */
export const loadFast = (text: string): unknown => loadLexed(text)?.data;

const SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

class LexComposer extends Anchors {
  private readonly c: Cursor;
  typedAsWritten = true;

  constructor(text: string) {
    super();
    this.c = new Cursor(text);
  }

  document(): unknown {
    const c = this.c;
    c.nextContent();
    if (c.is('doc-start')) {
      c.advance();
      // Content on the `---` line (a block collection there is an error): left to the other paths.
      c.endLine();
      c.nextContent();
    }
    if (c.is('eof')) decline(); // empty: MISSING_KEY
    // A block scalar at the root is refused by the check this path resolves block scalars with.
    const data = this.blockNode(-1, 1);
    if (!c.is('eof') || data === null || data === undefined || this.h >= MAX_DEPTH) decline();
    return data;
  }

  /**
   * A node whose first token starts a line (or follows its anchor): a block sequence, a block
   * mapping (a key then `:`), or a scalar, alias or flow collection, with the lines it spans.
   * Leaves the cursor at the first token of the next line with content.
   */
  private blockNode(parentCol: number, level: number, anchor?: string, anchorInLine = false): unknown {
    const c = this.c;
    const col = c.col;
    if (col <= parentCol) decline();
    if (c.is('anchor')) {
      if (anchor !== undefined) decline();
      const name = this.anchorName();
      c.skipSpaces();
      if (!c.is('newline') && !c.is('eof')) return this.blockNode(parentCol, level, name, true);
      // The anchored node is below (a block collection or a scalar, more indented), or there is none.
      c.nextContent();
      return !c.is('eof') && c.col > parentCol ? this.blockNode(parentCol, level, name) : this.empty(name);
    }
    if (c.is('seq-item-ind')) {
      if (level >= MAX_DEPTH) decline();
      return this.blockSeq(col, level, anchor);
    }
    const start = c.lineStart;
    if (SCALARS.has(c.type)) {
      const type = c.type;
      const source = c.source;
      const offset = c.offset;
      c.advance();
      while (c.is('space')) c.advance();
      if (c.is('map-value-ind')) {
        // A key: the node is a block mapping; an anchor before it on its line would be the key's.
        if (anchorInLine || level >= MAX_DEPTH) decline();
        return this.blockMap(col, level, this.key(type, source, offset), start, anchor);
      }
      const value = this.scalar(type, source, offset);
      this.define(anchor, value, false, false, 0);
      this.h = 0;
      c.endLine();
      c.nextContent();
      return value;
    }
    if (c.is('block-scalar-header')) {
      const text = this.blockScalar(anchor, Math.max(parentCol, 0));
      c.nextContent();
      return text;
    }
    const value = this.inline(level, anchor);
    if (c.is('space')) c.skipSpaces();
    if (c.is('map-value-ind')) decline(); // an alias or a collection as a key
    c.endLine();
    c.nextContent();
    return value;
  }

  /** A value that starts and ends on its line (but for flow collections and multi-line scalars): alias, flow collection, scalar. */
  private inline(level: number, anchor: string | undefined): unknown {
    const c = this.c;
    switch (c.type) {
      case 'alias':
        if (anchor !== undefined) decline();
        return this.alias();
      case 'flow-map-start':
      case 'flow-seq-start':
        if (level >= MAX_DEPTH) decline();
        return this.flow(level, anchor);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar': {
        const value = this.scalar(c.type, c.source, c.offset);
        c.advance();
        this.define(anchor, value, false, false, 0);
        this.h = 0;
        return value;
      }
      default:
        return decline();
    }
  }

  /** A block mapping at `col` whose first key is read (the cursor at its `:`). Returns the mapping. */
  private blockMap(
    col: number,
    level: number,
    first: string | symbol,
    keyStart: number,
    anchor: string | undefined,
  ): Record<string, unknown> {
    const c = this.c;
    const map: Record<string, unknown> = {};
    const entry = this.define(anchor, map, true, true, 0);
    const marks = this.marks;
    const pairs = new Pairs(map);
    let height = 0;
    let key = first;
    let start = keyStart;
    for (;;) {
      // KEY_OVER_1024_CHARS: compose measures from where the key's props end, which is never before
      // its line starts (what comes between a value and the next key ends the value or starts the key).
      if (c.offset - start > 1024) decline();
      c.advance(); // the `:`
      if (!c.is('space') && !c.is('newline') && !c.is('eof')) decline();
      const h = this.mapValue(pairs, key, col, level);
      if (h > height) height = h;
      if (c.is('eof') || c.col < col) break;
      if (c.col > col || !SCALARS.has(c.type)) decline();
      start = c.lineStart;
      const type = c.type;
      const source = c.source;
      const offset = c.offset;
      c.advance();
      while (c.is('space')) c.advance();
      if (!c.is('map-value-ind')) decline();
      key = this.key(type, source, offset);
    }
    this.close(entry, marks, height, Object.keys(map).length === 0);
    this.h = height;
    return map;
  }

  /** The value after a key's `:` (on its line, or below it), added to the mapping. Returns the height it adds. */
  private mapValue(pairs: Pairs, key: string | symbol, col: number, level: number): number {
    const c = this.c;
    c.skipSpaces();
    let anchor: string | undefined;
    if (c.is('anchor')) {
      anchor = this.anchorName();
      c.skipSpaces();
    }
    const merge = typeof key === 'symbol';
    if (merge && anchor !== undefined) decline();
    if (c.is('newline') || c.is('eof')) {
      c.nextContent();
      // A sequence may sit at the key's own column; anything else below must be more indented.
      const seq = c.is('seq-item-ind') && c.col === col;
      const below = !c.is('eof') && (c.col > col || seq);
      if (merge) return below ? this.mergeList(pairs, level) : decline();
      let value: unknown;
      if (!below) value = this.empty(anchor);
      else if (seq) {
        if (level + 1 >= MAX_DEPTH) decline();
        value = this.blockSeq(col, level + 1, anchor);
      } else value = this.blockNode(col, level + 1, anchor);
      pairs.set(key as string, value);
      return this.h + 1;
    }
    if (c.is('seq-item-ind')) decline(); // `a: - b`
    if (c.is('block-scalar-header') && !merge) {
      pairs.set(key as string, this.blockScalar(anchor, col));
      c.nextContent();
      return 1;
    }
    let height: number;
    if (merge) height = this.mergeInline(pairs, level);
    else {
      pairs.set(key, this.inline(level + 1, anchor));
      height = this.h + 1;
    }
    c.skipSpaces();
    if (c.is('map-value-ind')) decline(); // a compact nested mapping: `a: b: c`
    c.endLine();
    c.nextContent();
    return height;
  }

  /** A block sequence at `col`, the cursor at its first `-`. */
  private blockSeq(col: number, level: number, anchor: string | undefined): unknown[] {
    const c = this.c;
    const seq: unknown[] = [];
    const entry = this.define(anchor, seq, true, false, 0);
    const marks = this.marks;
    let height = 0;
    for (;;) {
      c.advance(); // the `-`
      if (!c.is('space') && !c.is('newline') && !c.is('eof')) decline();
      c.skipSpaces();
      let value: unknown;
      if (c.is('newline') || c.is('eof')) {
        c.nextContent();
        value = !c.is('eof') && c.col > col ? this.blockNode(col, level + 1) : this.empty(undefined);
      } else {
        // On the `-` line: a compact mapping or sequence, or a value.
        value = this.blockNode(col, level + 1);
      }
      seq.push(value);
      if (this.h + 1 > height) height = this.h + 1;
      if (c.is('eof') || c.col < col) break;
      if (c.col > col) decline();
      if (!c.is('seq-item-ind')) break; // the next key of the mapping the sequence is the value of
    }
    this.close(entry, marks, height, seq.length === 0);
    this.h = height;
    return seq;
  }

  /** A flow collection, the cursor at its `{` or `[`; leaves it after the closing bracket. */
  private flow(level: number, anchor: string | undefined): unknown {
    const c = this.c;
    const isMap = c.is('flow-map-start');
    const close = isMap ? 'flow-map-end' : 'flow-seq-end';
    const res: Record<string, unknown> | unknown[] = isMap ? {} : [];
    const entry = this.define(anchor, res, true, isMap, 0);
    const marks = this.marks;
    const pairs = isMap ? new Pairs(res as Record<string, unknown>) : undefined;
    let height = 0;
    let count = 0;
    c.advance();
    for (;;) {
      c.nextContent();
      if (c.is(close)) break;
      let itemAnchor: string | undefined;
      if (c.is('anchor')) {
        itemAnchor = this.anchorName();
        c.nextContent();
      }
      if (c.is('block-scalar-header')) decline();
      let h: number;
      if (pairs) {
        if (!SCALARS.has(c.type) || itemAnchor !== undefined) decline();
        const key = this.key(c.type, c.source, c.offset);
        c.advance();
        // Its `:` on the key's line (a key over two lines is left to the other paths).
        c.skipSpaces();
        if (!c.is('map-value-ind')) decline(); // `{ a }`: a key without a value
        c.advance();
        c.nextContent();
        let valueAnchor: string | undefined;
        if (c.is('anchor')) {
          valueAnchor = this.anchorName();
          c.nextContent();
        }
        if (typeof key === 'symbol') {
          if (valueAnchor !== undefined) decline();
          h = this.mergeInline(pairs, level);
        } else {
          const value = c.is('comma') || c.is(close) ? this.empty(valueAnchor) : this.inline(level + 1, valueAnchor);
          pairs.set(key, value);
          h = this.h + 1;
        }
      } else {
        (res as unknown[]).push(c.is('comma') || c.is(close) ? decline() : this.inline(level + 1, itemAnchor));
        h = this.h + 1;
      }
      if (h > height) height = h;
      count++;
      c.nextContent();
      if (c.is(close)) break;
      if (!c.is('comma')) decline(); // a pair in a sequence, or a missing comma
      c.advance();
    }
    c.advance();
    this.close(entry, marks, height, count === 0);
    this.h = height;
    return res;
  }

  /** `<<: *a` or `<<: [*a, *b]`, the cursor at the value; leaves it after the value. Returns the height it adds. */
  private mergeInline(pairs: Pairs, level: number): number {
    const c = this.c;
    const sources: Anchor[] = [];
    if (c.is('alias')) {
      sources.push(this.target(c.source));
      c.advance();
    } else if (c.is('flow-seq-start')) {
      if (level + 1 >= MAX_DEPTH) decline();
      c.advance();
      for (;;) {
        c.nextContent();
        if (c.is('flow-seq-end') && sources.length === 0) break; // `<<: []`
        if (!c.is('alias')) decline();
        sources.push(this.target(c.source));
        c.advance();
        c.nextContent();
        if (c.is('flow-seq-end')) break;
        if (!c.is('comma')) decline();
        c.advance();
      }
      c.advance();
    } else {
      decline();
    }
    return this.mergeFrom(pairs, sources);
  }

  /** A block list of aliases below `<<:`, the cursor at its first `-`; leaves it at the next line with content. */
  private mergeList(pairs: Pairs, level: number): number {
    const c = this.c;
    if (level + 1 >= MAX_DEPTH) decline();
    const col = c.col;
    const sources: Anchor[] = [];
    for (;;) {
      if (!c.is('seq-item-ind')) decline(); // `<<:` with an alias below it, not a list
      c.advance();
      if (!c.is('space')) decline();
      c.skipSpaces();
      if (!c.is('alias')) decline();
      sources.push(this.target(c.source));
      c.advance();
      c.endLine();
      c.nextContent();
      if (c.is('eof') || c.col < col) break;
      if (c.col > col) decline();
      if (!c.is('seq-item-ind')) break;
    }
    return this.mergeFrom(pairs, sources);
  }

  /** Alias.toJSON: the anchored value, its use counted against yaml's bound. */
  private alias(): unknown {
    const source = this.target(this.c.source);
    this.c.advance();
    if (!source.empty && ++source.count > MAX_ALIAS_COUNT) decline();
    this.h = source.height;
    return source.res;
  }

  private anchorName(): string {
    const c = this.c;
    const name = c.source;
    if (name.length < 2 || name.endsWith(':')) decline();
    c.advance();
    // "Tags and anchors must be separated from the next token by white space"
    if (!c.is('space') && !c.is('newline') && !c.is('eof')) decline();
    return name.substring(1);
  }

  /** A mapping key: a one-line string, or a plain `<<` (a merge key). */
  private key(type: string, source: string, offset: number): string | symbol {
    if (source.includes('\n')) decline(); // MULTILINE_IMPLICIT_KEY
    const text = scalarText({ type, source, offset, indent: 0 } as CST.FlowScalar);
    const name = type === 'scalar' ? plainValue(text, true) : text;
    if (typeof name !== 'string' && typeof name !== 'symbol') decline();
    return name;
  }

  private scalar(type: string, source: string, offset: number): unknown {
    const text = scalarText({ type, source, offset, indent: 0 } as CST.FlowScalar);
    if (type !== 'scalar') return text;
    const value = plainValue(text, false);
    if ((typeof value === 'number' || typeof value === 'boolean') && String(value) !== text) this.typedAsWritten = false;
    return value;
  }

  /**
   * A block scalar, the cursor at its header; resolved by yaml's own resolveBlockScalar, with
   * the indentation the Parser gives it: its parent collection's (`parentIndent`), not its line's.
   */
  private blockScalar(anchor: string | undefined, parentIndent: number): string {
    const c = this.c;
    const header: CST.SourceToken = { type: 'block-scalar-header', offset: c.offset, indent: parentIndent, source: c.source };
    c.advance();
    c.skipSpaces();
    if (!c.is('newline')) decline();
    c.advance();
    if (!c.is('scalar')) decline();
    const source = c.source;
    c.body = true;
    c.advance();
    const token: CST.BlockScalar = { type: 'block-scalar', offset: header.offset, indent: header.indent, props: [header], source };
    const value = CST.resolveAsScalar(token, true, decline)!.value;
    this.define(anchor, value, false, false, 0);
    this.h = 0;
    return value;
  }
}
