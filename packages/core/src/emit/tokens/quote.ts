/**
 * Dockerfile quoting. Values are Docker strings: `$VAR` / `${VAR}` expand as Docker expands
 * them and `\$` is a literal `$`, so both are kept as written; `"` and every other `\` are escaped.
 */
export function quoteValue(value: string): string {
  return `"${value.replace(/\\(?!\$)/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One word as BuildKit's word lexer will read it (COPY / ADD sources and destination, VOLUME
 * paths, even in JSON form): quotes and backslashes escaped, so they stay literal; `$VAR` and
 * `\$` are kept as written, as in every other Docker string.
 */
export const escapeWord = (value: string): string => value.replace(/\\(?!\$)/g, '\\\\').replace(/["']/g, (c) => `\\${c}`);
