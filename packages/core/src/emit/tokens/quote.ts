/**
 * Dockerfile quoting. Values are Docker strings: `$VAR` / `${VAR}` expand as Docker expands
 * them and `\$` is a literal `$`, so both are kept as written; `"` and every other `\` are escaped.
 */
export function quoteValue(value: string): string {
  return `"${value.replace(/\\(?!\$)/g, '\\\\').replace(/"/g, '\\"')}"`;
}
