import { CST, Document, isScalar, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * The token-level half of the fast loader (lex.ts): what yaml's compose step checks in a run of
 * property tokens (resolve-props.js), after a node (resolve-end.js) and in a scalar, mirrored
 * for the forms the fast path takes. Wherever compose would report an error or a warning,
 * or where the mirror is not sure, it declines (throws Decline) and the full path runs.
 */

/** The options the loader parses with, on both paths (the fast path needs them for the schema's tags). */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
  // merge: YAML merge keys (`<<: *base`), the compose idiom for sharing a block.
  merge: true,
};

/** Thrown to leave a document to the full path; never escapes the fast loader. */
class Decline extends Error {}

export function decline(): never {
  throw new Decline();
}

type Tag = { tag: string; default?: boolean | 'key'; test?: RegExp; resolve: (...args: never[]) => unknown };

/** The tags a plain scalar is resolved with: yaml's own, of a Document made with the loader's options (core schema and merge). */
let schema: { tags: readonly Tag[]; options: unknown } | undefined;
function tags(): { tags: readonly Tag[]; options: unknown } {
  if (!schema) {
    const doc = new Document(undefined, YAML_OPTIONS);
    schema = { tags: doc.schema.tags as unknown as Tag[], options: doc.options };
  }
  return schema;
}

/** Tags whose values are plain data: anything else (a later yaml's additions) is left to the full path. */
const PLAIN = new Set(['null', 'bool', 'int', 'float', 'str', 'merge'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * First characters a core-schema value other than a string can start with (`~`, null, true,
 * false, digits, signs, `.inf`, `<<`); a plain scalar starting otherwise is a string without
 * testing each tag. The property test checks this against the tags themselves.
 */
export const MAYBE_TYPED = new Uint8Array(128);
for (const c of '~nNtTfF0123456789+-.<') MAYBE_TYPED[c.charCodeAt(0)] = 1;

/** A plain scalar's value as compose finds it (findScalarTagByTest, then the tag's resolve); a merge key is a symbol. */
export function plainValue(text: string, atKey: boolean): unknown {
  const c = text.charCodeAt(0);
  if (text.length > 0 && (c >= 128 || MAYBE_TYPED[c] === 0)) return text;
  const { tags: all, options } = tags();
  const tag = all.find((t) => (t.default === true || (atKey && t.default === 'key')) && t.test?.test(text));
  if (!tag) return text;
  if (!PLAIN.has(tag.tag)) decline();
  const res = (tag.resolve as (value: string, onError: () => never, options: unknown) => unknown)(text, decline, options);
  return isScalar(res) ? res.value : res;
}

/** Characters compose refuses at the start of a plain scalar (BAD_SCALAR_START). */
const BAD_START = new Set(['\t', ',', '%', '|', '>', '@', '`']);

/** A flow or block scalar token's text value. */
export function scalarText(token: CST.FlowScalar | CST.BlockScalar): string {
  const source = token.source;
  // One-line scalars read directly, as resolve-flow-scalar.js would (foldLines leaves a line
  // without a newline as it is); anything else through yaml's own resolution.
  if (token.type !== 'block-scalar' && !source.includes('\n')) {
    let value: string | undefined;
    if (token.type === 'scalar') {
      if (BAD_START.has(source[0]!)) decline();
      value = source;
    } else if (source.length > 1) {
      const quote = token.type === 'single-quoted-scalar' ? "'" : '"';
      if (source[source.length - 1] === quote) {
        const inner = source.slice(1, -1);
        if (quote === "'") value = inner.includes("''") ? inner.replace(/''/g, "'") : inner;
        else if (!inner.includes('\\')) value = inner;
      }
    }
    if (value !== undefined) return value;
  }
  // strict, as the Document's options are; any error or warning declines.
  const resolved = CST.resolveAsScalar(token, true, decline);
  if (!resolved) decline();
  return resolved.value;
}
