import { Parser, type CST } from 'yaml';
import { MAX_ALIAS_COUNT } from './build';
import { decline, emptyAt, endOf, plainValue, Props, scalarText } from './cst-tokens';
import { loadLexed } from './lex';
import { Pairs } from './pairs';
import { MAX_DEPTH } from './walk';

/** An anchored node, as yaml's toJS keeps it (`ctx.anchors`), with what the fast path needs to know of it. */
interface Anchor {
  token: CST.Token;
  /** The value it became (the latest build of it: a merge builds its source again). */
  res: unknown;
  /** Alias.toJSON's use count. */
  count: number;
  /** Still being built: an alias to it would be a cycle. */
  open: boolean;
  /** Its subtree holds an alias or a merge: alias counts through it are not mirrored. */
  aliased: boolean;
  /** yaml's getAliasCount is 0 for an empty collection (never bounded), 1 for anything else without aliases. */
  empty: boolean;
  isMap: boolean;
  height: number;
}

/**
 * The fast paths of the loader: the plain data of a stages.yaml without composing yaml's
 * Document. First the Lexer's (lex.ts), which groups yaml's own tokens into the data for the
 * block layout stages.yaml is written in; for a valid form it does not build, this one, which
 * reads yaml's CST (`Parser`). For the common, well-formed forms (block and flow maps and
 * sequences, plain, quoted and block scalars, comments, anchors, aliases and merge keys) each
 * builds what `doc.toJS()` (and the walk) would build, the same objects shared by aliases and
 * copied by merges, keys in the same order. Anything else it is not sure of (an error token, a
 * directive or second document, a tag, a key that is not a string, a duplicate key, nesting
 * near the limit, aliases near their bound, a form compose warns about) makes it return
 * undefined: the full path then runs and reports exactly as before. So whenever it returns
 * data, the full path would return equal data and no diagnostic.
 */
export function loadFast(text: string): unknown {
  // The Lexer-level path first (no CST at all), then this one for the valid forms it does not build.
  const lexed = loadLexed(text);
  if ('data' in lexed) return lexed.data;
  return lexed.retry ? loadCst(text) : undefined;
}

/** The CST path alone (and its tests). */
export function loadCst(text: string): unknown {
  try {
    return new FastComposer().document(text);
  } catch {
    // A decline, or anything unforeseen (a stack overflow on absurd input): the full path decides.
    return undefined;
  }
}

class FastComposer {
  private readonly props = new Props();
  /** compose's range[2] of the node last built: where its parent continues. */
  private readonly at = { end: 0 };
  /** The height of the value last built (0 for a scalar, 1 for `{a: 1}`), aliases expanded. */
  private h = 0;
  /** Aliases met so far, merge keys' included. */
  private aliases = 0;
  /** The latest anchor of each name, in document order (what Alias.resolve finds). */
  private readonly named = new Map<string, Anchor>();
  /** Anchors by their `&name` token, for a merge source built again (toJS registers its inner anchors anew). */
  private readonly byToken = new Map<CST.SourceToken, Anchor>();
  /** Building a merge source again: inner anchors are re-registered, not redefined. */
  private rebuilding = false;
  /** Composing a merge key's list of aliases: merge() resolves them, uncounted, as toJS does. */
  private listing = false;

  document(text: string): unknown {
    let doc: CST.Document | undefined;
    for (const token of new Parser().parse(text)) {
      const type = token.type;
      if (type === 'document' && !doc) doc = token;
      // A directive, a second document, `...`, a byte order mark, an error: the full path.
      else if (type !== 'space' && type !== 'comment' && type !== 'newline') decline();
    }
    if (!doc?.value) decline(); // empty: MISSING_KEY
    const props = this.props;
    const found = props.read(doc.start, 'doc-start', false, true, doc.offset, doc.value);
    const value = doc.value;
    if (found && (value.type === 'block-map' || value.type === 'block-seq') && !props.hasNewline) decline();
    const data = this.node(value, 1);
    endOf(doc.end, this.at.end, false);
    // Deep data (aliases expanded) is YAML_TOO_COMPLEX; near the limit, let the full path measure.
    if (data === null || data === undefined || this.h >= MAX_DEPTH) decline();
    return data;
  }

  /** composeNode, for the node after the props just read. */
  private node(token: CST.Token, level: number): unknown {
    const anchor = this.props.anchor;
    switch (token.type) {
      case 'alias':
        if (anchor) decline();
        return this.alias(token);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar': {
        const text = scalarText(token, this.at);
        const value = token.type === 'scalar' ? plainValue(text, false) : text;
        this.h = 0;
        if (anchor) this.define(anchor, token, value, false).open = false;
        return value;
      }
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        // The walk refuses collections deeper than MAX_DEPTH: stop one short, and leave it the reporting.
        if (level >= MAX_DEPTH) decline();
        // "Missing newline after block sequence props"
        if (token.type === 'block-seq' && anchor && !this.props.newlineAfterProp) decline();
        return this.collection(token, level, anchor);
      default:
        return decline();
    }
  }

  private collection(token: CST.BlockMap | CST.BlockSequence | CST.FlowCollection, level: number, anchor?: CST.SourceToken): unknown {
    const isMap = token.type === 'block-map' || (token.type === 'flow-collection' && token.start.source === '{');
    const res: Record<string, unknown> | unknown[] = isMap ? {} : [];
    // Registered before its items, as toJS does: an alias inside it finds it open.
    const entry = anchor ? this.define(anchor, token, res, isMap) : undefined;
    const aliases = this.aliases;
    let height: number;
    if (token.type === 'block-map') height = this.blockMap(token, level, res as Record<string, unknown>);
    else if (token.type === 'block-seq') height = this.blockSeq(token, level, res as unknown[]);
    else height = this.flow(token, level, res, isMap);
    if (entry) {
      entry.open = false;
      entry.aliased = this.aliases !== aliases;
      entry.empty = isMap ? Object.keys(res).length === 0 : (res as unknown[]).length === 0;
      entry.height = height;
    }
    this.h = height;
    return res;
  }

  /** resolve-block-map.js. Returns the map's height. */
  private blockMap(bm: CST.BlockMap, level: number, map: Record<string, unknown>): number {
    const props = this.props;
    let offset = bm.offset;
    let commentEnd: number | undefined;
    let height = 0;
    const pairs = new Pairs(map);
    for (const item of bm.items) {
      const { start, key, sep, value } = item;
      if (item.explicitKey) decline();
      // An explicit key (`? k`): left to the full path.
      if (props.read(start, 'explicit-key-ind', false, true, offset, key ?? sep?.[0])) decline();
      if (key && (key.type === 'block-seq' || ('indent' in key && key.indent !== bm.indent))) decline();
      if (!props.anchor && !sep) {
        // Comments after the last pair; a key without a value compose would drop: left to the full path.
        if (key) decline();
        commentEnd = props.end;
        continue;
      }
      // An anchored or empty key: rare, left to the full path.
      if (props.anchor || !key) decline();
      const keyStart = props.end;
      const name = this.key(key);
      const found = props.read(sep!, 'map-value-ind', false, false, this.at.end, value);
      offset = props.end;
      if (!found) decline(); // "Implicit map keys need to be followed by map values"
      if (value?.type === 'block-map' && !props.hasNewline) decline(); // compact nested mapping
      if (keyStart < found.offset - 1024) decline(); // KEY_OVER_1024_CHARS
      const h = this.pair(pairs, name, value, sep, offset, level);
      offset = this.at.end;
      if (h > height) height = h;
    }
    if (commentEnd && commentEnd < offset) decline(); // "Map comment with trailing content"
    this.at.end = commentEnd ?? offset;
    return height;
  }

  /** resolve-block-seq.js. Returns the sequence's height. */
  private blockSeq(bs: CST.BlockSequence, level: number, seq: unknown[]): number {
    const props = this.props;
    let offset = bs.offset;
    let commentEnd: number | undefined;
    let height = 0;
    for (const { start, value } of bs.items) {
      if (!props.read(start, 'seq-item-ind', false, true, offset, value)) {
        if (props.anchor || value) decline();
        commentEnd = props.end;
        continue;
      }
      seq.push(value ? this.node(value, level + 1) : this.empty(props.end, start));
      offset = this.at.end;
      if (this.h + 1 > height) height = this.h + 1;
    }
    this.at.end = commentEnd ?? offset;
    return height;
  }

  /** resolve-flow-collection.js, without pairs in a sequence (`[a: 1]`) or keys without values (`{a}`). */
  private flow(fc: CST.FlowCollection, level: number, res: Record<string, unknown> | unknown[], isMap: boolean): number {
    const props = this.props;
    let offset = fc.offset + fc.start.source.length;
    let height = 0;
    const pairs = isMap ? new Pairs(res as Record<string, unknown>) : undefined;
    const items = fc.items;
    for (let i = 0; i < items.length; ++i) {
      const { start, key, sep, value } = items[i]!;
      if (props.read(start, 'explicit-key-ind', true, false, offset, key ?? sep?.[0])) decline();
      if (!props.anchor && !sep && !value) {
        // Only a trailing comma's empty item, or comments, are fine.
        if (key || (i === 0 && props.comma) || i < items.length - 1) decline();
        offset = props.end;
        continue;
      }
      if ((i === 0) !== !props.comma) decline(); // a leading comma, or a missing one
      let h: number;
      if (!pairs) {
        if (key || sep) decline();
        if (isBlock(value)) decline();
        (res as unknown[]).push(value ? this.node(value, level + 1) : this.empty(props.end, undefined));
        h = this.h + 1;
      } else {
        if (props.anchor || !key || isBlock(key)) decline();
        const name = this.key(key);
        if (!props.read(sep ?? [], 'map-value-ind', true, false, this.at.end, value) || isBlock(value)) decline();
        h = this.pair(pairs, name, value, sep, props.end, level);
      }
      offset = this.at.end;
      if (h > height) height = h;
    }
    const [close, ...rest] = fc.end;
    if (close?.source !== (isMap ? '}' : ']')) decline();
    const closed = close.offset + close.source.length;
    this.at.end = rest.length > 0 ? endOf(rest, closed, true) : closed;
    return height;
  }

  /** A mapping key: a one-line scalar that is a string, or a plain `<<` (a merge key, a symbol). */
  private key(key: CST.Token): string | symbol {
    if (key.type !== 'scalar' && key.type !== 'single-quoted-scalar' && key.type !== 'double-quoted-scalar') return decline();
    // MULTILINE_IMPLICIT_KEY
    if (key.source.includes('\n') || key.end?.some((t) => t.type === 'newline')) decline();
    const text = scalarText(key, this.at);
    const name = key.type === 'scalar' ? plainValue(text, true) : text;
    // A key that is not a string (`1:`, `null:`, `true:`) is INVALID_TYPE on the full path.
    if (typeof name !== 'string' && typeof name !== 'symbol') decline();
    return name;
  }

  /** A pair's value, added to its mapping as addPairToJSMap would. Returns the height it adds. */
  private pair(
    pairs: Pairs,
    name: string | symbol,
    value: CST.Token | undefined,
    sep: CST.SourceToken[] | undefined,
    offset: number,
    level: number,
  ): number {
    if (typeof name === 'symbol') return this.merge(pairs, value, level);
    const data = value ? this.node(value, level + 1) : this.empty(offset, sep);
    pairs.set(name, data);
    return this.h + 1;
  }

  /** `<<: *a` or `<<: [*a, *b]` (flow or block): addMergeToJSMap. Anything else is left to the full path. */
  private merge(pairs: Pairs, value: CST.Token | undefined, level: number): number {
    if (!value || this.props.anchor) decline();
    let sources: CST.FlowScalar[];
    if (value.type === 'alias') {
      sources = [value];
      this.aliasEnd(value);
    } else if (value.type === 'block-seq' || (value.type === 'flow-collection' && value.start.source === '[')) {
      sources = [];
      for (const item of value.items) {
        if (item.value?.type !== 'alias' || item.key || item.sep) decline();
        sources.push(item.value);
      }
      // Composed as a sequence for its checks and range; its aliases resolve below.
      this.listing = true;
      this.node(value, level + 1);
      this.listing = false;
    } else {
      return decline();
    }
    let height = 0;
    for (const alias of sources) {
      this.aliases++;
      const source = this.target(alias);
      if (!source.isMap) decline(); // 'Merge sources must be maps or map aliases'
      pairs.merge(this.rebuild(source) as Record<string, unknown>);
      // Not exact (a merged key may be replaced), but never lower: the depth check stays safe.
      if (source.height > height) height = source.height;
    }
    return height;
  }

  /** mergeValue's `source.toJSON(null, ctx, Map)`: the source built again, its inner anchors registered anew. */
  private rebuild(source: Anchor): unknown {
    const { end } = this.at;
    const h = this.h;
    const rebuilding = this.rebuilding;
    this.rebuilding = true;
    // Its own anchor is not registered again (toJSON, not toJS): build it as an unanchored collection.
    const data = this.collection(source.token as CST.BlockMap | CST.FlowCollection, 1);
    this.rebuilding = rebuilding;
    this.at.end = end;
    this.h = h;
    return data;
  }

  /** Alias.toJSON: the anchored value, its use counted against yaml's bound. */
  private alias(token: CST.FlowScalar): unknown {
    this.aliasEnd(token);
    this.aliases++;
    if (this.listing) return undefined;
    const source = this.target(token);
    // The bound: uses times getAliasCount, which is 1 for a value without aliases (0 when empty).
    if (!source.empty && ++source.count > MAX_ALIAS_COUNT) decline();
    this.h = source.height;
    return source.res;
  }

  private aliasEnd(token: CST.FlowScalar): void {
    const name = token.source;
    if (name.length < 2 || name.endsWith(':')) decline();
    this.at.end = endOf(token.end, token.offset + name.length, true);
  }

  /** The anchor an alias names: defined before it, complete, without aliases of its own (their counts are not mirrored). */
  private target(alias: CST.FlowScalar): Anchor {
    const source = this.named.get(alias.source.substring(1));
    if (!source || source.open || source.aliased) decline();
    return source;
  }

  private define(anchor: CST.SourceToken, token: CST.Token, res: unknown, isMap: boolean): Anchor {
    if (this.rebuilding) {
      // toJS converting a merge source again: the inner anchor's value is the new one, its count restarts.
      const entry = this.byToken.get(anchor);
      if (!entry) decline();
      entry.res = res;
      entry.count = 1;
      return entry;
    }
    const entry: Anchor = { token, res, count: 1, open: true, aliased: false, empty: false, isMap, height: 0 };
    this.named.set(anchor.source.substring(1), entry);
    this.byToken.set(anchor, entry);
    return entry;
  }

  /** composeEmptyNode: a null (anchored, maybe), placed where compose places it. */
  private empty(offset: number, before: readonly CST.SourceToken[] | undefined): null {
    const props = this.props;
    const at = emptyAt(offset, before);
    this.at.end = props.hasComment ? props.end : at;
    this.h = 0;
    if (props.anchor) this.define(props.anchor, { type: 'scalar', offset: at, indent: -1, source: '' }, null, false).open = false;
    return null;
  }
}

const isBlock = (token: CST.Token | null | undefined): boolean => token?.type === 'block-map' || token?.type === 'block-seq';
