import { CST, Lexer } from 'yaml';
import { MAX_ALIAS_COUNT } from './build';
import { decline, plainValue, scalarText } from './cst-tokens';
import { Pairs } from './pairs';
import { MAX_DEPTH } from './walk';

/**
 * The fastest path of the loader: the plain data straight from yaml's Lexer, for the block
 * layout a stages.yaml is written in (block maps and sequences by indentation, flow
 * collections, scalars of every quoting, block scalars, comments, anchors, aliases, merge
 * keys), without yaml's Parser building a CST that lives until the end of the file (most of
 * the loader's garbage-collection time). The Lexer is the one the full path runs, so the
 * tokens are the same; this groups them as the Parser would for that layout and declines
 * (returns undefined) on anything else: a tab, a tag, an explicit key, a directive or second
 * document, a key that is not a one-line string, an indentation it does not expect, a
 * comment glued to a token, a duplicate key, nesting or aliases near their limits. Then the
 * CST path (cst.ts) and, past it, the full path decide. The property test holds it to
 * the full path's data whenever it returns.
 */
export function loadLexed(text: string): { data: unknown } | { retry: boolean } {
  try {
    return { data: new LexComposer(text).document() };
  } catch (error) {
    return { retry: error instanceof Unsupported };
  }
}

/**
 * A decline for a form that is valid YAML but not built here (a tab, an alias to an anchor
 * holding aliases or anchors, an empty block scalar at the end): worth the CST path. Any
 * other decline is most likely a YAML error, which the CST path would decline too, after
 * parsing the whole file: those go straight to the full path.
 */
class Unsupported extends Error {}
function unsupported(): never {
  throw new Unsupported();
}

interface Anchor {
  res: unknown;
  count: number;
  open: boolean;
  /** Its value holds an alias, a merge or an anchor: uses through it are left to the other paths. */
  nested: boolean;
  empty: boolean;
  isMap: boolean;
  height: number;
}

/** Lexer tokens with what the Parser tracks of them: offset, where the line starts, the column. */
class Cursor {
  private readonly lexemes: Generator<string>;
  type: string = '';
  source = '';
  offset = 0;
  /** Where the token's line starts. */
  lineStart = 0;
  /** The end of the last token that is not a space, newline or comment. */
  contentEnd = 0;
  /** The token before was a space or a newline (or there was none): a comment may follow. */
  spaced = true;
  /** The current token is a block scalar's body. */
  body = false;
  private next = 0;

  constructor(text: string) {
    this.lexemes = new Lexer().lex(text);
    this.advance();
  }

  /** Whether the current token is of `type` (a method: the type changes as the cursor moves). */
  is(type: string): boolean {
    return this.type === type;
  }

  get col(): number {
    return this.offset - this.lineStart;
  }

  advance(): void {
    const type = this.type;
    if (this.body) {
      // A block scalar's body ends its last line (its source holds the newline): the Parser is at a new line.
      this.body = false;
      this.spaced = true;
      this.lineStart = this.next;
      this.contentEnd = this.next;
    } else if (type !== '') {
      this.spaced = type === 'space' || type === 'newline';
      if (type === 'newline') this.lineStart = this.next;
      else if (type !== 'space' && type !== 'comment') this.contentEnd = this.next;
    }
    for (;;) {
      const lexeme = this.lexemes.next();
      if (lexeme.done) {
        this.type = 'eof';
        this.source = '';
        this.offset = this.next;
        return;
      }
      let source = lexeme.value;
      let kind: string | null;
      if (source === CST.DOCUMENT) continue;
      if (source === CST.SCALAR) {
        source = this.lexemes.next().value as string;
        kind = 'scalar';
      } else {
        kind = CST.tokenType(source);
        // Tabs (yaml refuses them as indentation by rules that depend on what follows), and
        // whatever this path does not take: BOM, directives, flow-error-end, an unknown token.
        if (kind === 'space' ? source.includes('\t') : kind === null || source === '') unsupported();
      }
      this.type = kind!;
      this.source = source;
      this.offset = this.next;
      this.next += source.length;
      return;
    }
  }

  /** Spaces, then maybe a comment (after a space), on the current line. */
  skipSpaces(): void {
    while (this.type === 'space') this.advance();
    if (this.type === 'comment') {
      if (!this.spaced) decline();
      this.advance();
    }
  }

  /** The end of a line after a value: spaces, a comment, then a newline or the end. */
  endLine(): void {
    this.skipSpaces();
    if (this.type === 'newline') this.advance();
    else if (this.type !== 'eof') decline();
  }

  /** Past blank and comment lines, to the first token of the next line with content (or the end). */
  nextContent(): void {
    for (;;) {
      this.skipSpaces();
      if (this.type !== 'newline') return;
      this.advance();
    }
  }

  /** Spaces, newlines and comments inside a flow collection. */
  skipFlow(): void {
    for (;;) {
      this.skipSpaces();
      if (this.type !== 'newline') return;
      this.advance();
    }
  }
}

const SCALARS = new Set(['scalar', 'single-quoted-scalar', 'double-quoted-scalar']);

class LexComposer {
  private readonly c: Cursor;
  /** The height of the value last built, aliases expanded. */
  private h = 0;
  /** Aliases, merges and anchors met so far. */
  private marks = 0;
  private readonly named = new Map<string, Anchor>();
  private readonly at = { end: 0 };

  constructor(text: string) {
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
    const start = c.contentEnd;
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
      // KEY_OVER_1024_CHARS: compose measures from where the key's props end, never before the last content.
      if (c.offset - start > 1024) decline();
      c.advance(); // the `:`
      if (!c.is('space') && !c.is('newline') && !c.is('eof')) decline();
      const h = this.mapValue(pairs, key, col, level);
      if (h > height) height = h;
      if (c.is('eof') || c.col < col) break;
      if (c.col > col || !SCALARS.has(c.type)) decline();
      start = c.contentEnd;
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
      c.skipFlow();
      if (c.is(close)) break;
      let itemAnchor: string | undefined;
      if (c.is('anchor')) {
        itemAnchor = this.anchorName();
        c.skipFlow();
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
        c.skipFlow();
        let valueAnchor: string | undefined;
        if (c.is('anchor')) {
          valueAnchor = this.anchorName();
          c.skipFlow();
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
      c.skipFlow();
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
      sources.push(this.target());
      c.advance();
    } else if (c.is('flow-seq-start')) {
      if (level + 1 >= MAX_DEPTH) decline();
      c.advance();
      for (;;) {
        c.skipFlow();
        if (c.is('flow-seq-end') && sources.length === 0) break; // `<<: []`
        if (!c.is('alias')) decline();
        sources.push(this.target());
        c.advance();
        c.skipFlow();
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
      c.advance(); // the `-`
      if (!c.is('space')) decline();
      c.skipSpaces();
      if (!c.is('alias')) decline();
      sources.push(this.target());
      c.advance();
      c.endLine();
      c.nextContent();
      if (c.is('eof') || c.col < col) break;
      if (c.col > col) decline();
      if (!c.is('seq-item-ind')) break;
    }
    return this.mergeFrom(pairs, sources);
  }

  /** addMergeToJSMap: each source's entries the mapping lacks, earlier sources first. */
  private mergeFrom(pairs: Pairs, sources: Anchor[]): number {
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

  /** Alias.toJSON: the anchored value, its use counted against yaml's bound. */
  private alias(): unknown {
    const source = this.target();
    this.c.advance();
    if (!source.empty && ++source.count > MAX_ALIAS_COUNT) decline();
    this.h = source.height;
    return source.res;
  }

  private target(): Anchor {
    this.marks++;
    const name = this.c.source;
    if (name.length < 2 || name.endsWith(':')) decline();
    const source = this.named.get(name.substring(1));
    // Unknown, still open (a cycle), or holding aliases, merges or anchors (their counts and copies are not mirrored here).
    if (!source || source.open) decline();
    if (source.nested) unsupported();
    return source;
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

  private define(anchor: string | undefined, res: unknown, open: boolean, isMap: boolean, height: number): Anchor | undefined {
    if (anchor === undefined) return undefined;
    this.marks++;
    const entry: Anchor = { res, count: 1, open, nested: false, empty: false, isMap, height };
    this.named.set(anchor, entry);
    return entry;
  }

  private close(entry: Anchor | undefined, marks: number, height: number, empty: boolean): void {
    if (!entry) return;
    entry.open = false;
    entry.nested = this.marks !== marks;
    entry.empty = empty;
    entry.height = height;
  }

  private empty(anchor: string | undefined): null {
    this.define(anchor, null, false, false, 0);
    this.h = 0;
    return null;
  }

  /** A mapping key: a one-line string, or a plain `<<` (a merge key). */
  private key(type: string, source: string, offset: number): string | symbol {
    if (source.includes('\n')) decline(); // MULTILINE_IMPLICIT_KEY
    const text = scalarText({ type, source, offset, indent: 0 } as CST.FlowScalar, this.at);
    const name = type === 'scalar' ? plainValue(text, true) : text;
    if (typeof name !== 'string' && typeof name !== 'symbol') decline();
    return name;
  }

  private scalar(type: string, source: string, offset: number): unknown {
    const text = scalarText({ type, source, offset, indent: 0 } as CST.FlowScalar, this.at);
    return type === 'scalar' ? plainValue(text, false) : text;
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
    if (!c.is('scalar')) unsupported();
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
