import { escapeWord, quoteValue } from './quote';
import { noControl, notEmpty, notFlagLike, type Refuse } from './refusal';

/** The JSON form of an argument list, as Docker parses CMD / ENTRYPOINT / SHELL / VOLUME / COPY. */
export const jsonArray = (items: readonly string[]): string => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;

const FLAG_HINT = 'write it as ./--name, so it reads as a path';

/**
 * COPY / ADD sources and destination: plain words when none needs quoting, else the JSON form
 * (whitespace, quotes, backslashes, a leading `[` that would read as JSON, or `<<`, which
 * BuildKit would take for a heredoc in a plain word of COPY / ADD).
 */
export function pathArguments(paths: readonly string[], refuse: Refuse, what = 'a path'): string {
  for (const p of paths) {
    if (notEmpty(p, what, refuse) && noControl(p, what, refuse)) notFlagLike(p, what, refuse, FLAG_HINT);
  }
  // BuildKit's lexer reads each path after the JSON: its quotes and backslashes are escaped for it.
  return paths.some((p) => /[\s"'\\]|<</.test(p) || p.startsWith('[')) ? jsonArray(paths.map(escapeWord)) : paths.join(' ');
}

/** WORKDIR: the rest of the line is one word; quoted when Docker's word processing would change it. */
export function workdirPath(value: string, refuse: Refuse): string {
  if (!notEmpty(value, 'WORKDIR', refuse) || !noControl(value, 'WORKDIR', refuse)) return value;
  notFlagLike(value, 'WORKDIR', refuse, FLAG_HINT);
  return /["'\\]|^\s|\s$/.test(value) ? quoteValue(value) : value;
}

/** VOLUME (always JSON form, its words read by BuildKit's lexer): each non-empty, no control characters. */
export function jsonPaths(values: readonly string[], refuse: Refuse, what: string): string {
  for (const v of values) if (notEmpty(v, what, refuse)) noControl(v, what, refuse);
  return jsonArray(values.map(escapeWord));
}
