/**
 * Dockerfile quoting. Values are Docker strings: `$VAR` / `${VAR}` expand as Docker expands
 * them and `\$` is a literal `$`, so both are kept as written; `"` and every other `\` are escaped.
 */
export function quoteValue(value: string): string {
  return `"${value.replace(/\\(?!\$)/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** ENV / ARG / LABEL key: bare when Docker reads it unambiguously, quoted otherwise. */
export function quoteKey(key: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(key) ? key : quoteValue(key);
}

export const keyValue = (key: string, value: string): string => `${quoteKey(key)}=${quoteValue(value)}`;

/** Exec form: a JSON array, as Docker parses CMD / ENTRYPOINT / SHELL / HEALTHCHECK / VOLUME. */
export const jsonArray = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;

/** COPY/ADD arguments: plain when no path needs quoting, else the JSON form Docker also accepts. */
export function pathArguments(paths: readonly string[]): string {
  return paths.some((p) => /[\s"'\\]/.test(p) || p.startsWith('[')) ? jsonArray(paths) : paths.join(' ');
}
