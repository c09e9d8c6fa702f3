/**
 * Bounds that keep absurd nesting from exhausting the parser: the estimate is a cheap guard
 * before parsing (the parser recurses per level), in columns of indentation plus open
 * brackets, far above anything 64 real levels need.
 */
export const MAX_NESTING_ESTIMATE = 400;

/**
 * An over-estimate of how deep a document nests (indentation, compact `- - x` sequences, open
 * flow brackets outside quotes and comments), computed in one linear pass. The YAML parser
 * recurses per level and, near the stack limit, V8 can abort the whole process while compiling
 * a regular expression; so absurd nesting is refused before parsing. The offset is the first line
 * that reaches the estimate. Reads the text in place, by character code: no line strings.
 */
export function nestingEstimateAt(text: string): { depth: number; offset: number } {
  let flow = 0;
  let max = 0;
  let offset = 0;
  const length = text.length;
  // Every line, the empty one after a final newline too (as text.split('\n') gives them).
  for (let lineStart = 0; lineStart <= length;) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = length;
    const before = max;
    // Leading whitespace as String.prototype.trimStart counts it.
    let start = lineStart;
    while (start < lineEnd && isSpace(text.charCodeAt(start))) start++;
    const indent = start - lineStart;
    let dashes = 0;
    let leading = true; // still in the `- - ` run that opens the line
    let quote = 0;
    for (let i = start; i < lineEnd; i++) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
        continue;
      }
      if ((c === DASH || c === QUESTION) && leading && (i + 1 === lineEnd || text.charCodeAt(i + 1) === SPACE)) {
        dashes++;
        continue;
      }
      if (c !== SPACE && c !== TAB) leading = false;
      if (c === HASH) {
        const p = i === lineStart ? -1 : text.charCodeAt(i - 1);
        if (p === -1 || p === SPACE || p === TAB) break;
      }
      if (c === DQUOTE || c === SQUOTE) quote = c;
      else if (c === LBRACKET || c === LBRACE) max = Math.max(max, indent + dashes + ++flow);
      else if (c === RBRACKET || c === RBRACE) flow = Math.max(0, flow - 1);
    }
    max = Math.max(max, indent + dashes + flow);
    if (max > before && before <= MAX_NESTING_ESTIMATE) offset = lineStart;
    lineStart = lineEnd + 1;
  }
  return { depth: max, offset };
}

const [SPACE, TAB, DASH, QUESTION, HASH, DQUOTE, SQUOTE, LBRACKET, LBRACE, RBRACKET, RBRACE] = [...' \t-?#"\'[{]}'].map((c) =>
  c.charCodeAt(0),
) as [number, number, number, number, number, number, number, number, number, number, number];

const NON_ASCII_SPACE = /\s/;

/** What trimStart removes: ASCII whitespace, and for the rest, what \s matches (the same set in JavaScript). */
function isSpace(c: number): boolean {
  if (c === SPACE || c === TAB) return true;
  if (c < 128) return c >= 10 && c <= 13;
  return NON_ASCII_SPACE.test(String.fromCharCode(c));
}
