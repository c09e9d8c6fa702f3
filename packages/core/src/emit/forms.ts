import { quotedHeredoc } from './run';
import { jsonPaths, pathArguments, type Refuse } from './tokens';

// COPY from text, the VOLUME step and ONBUILD (DESIGN 10), through the token layer (DESIGN 13).

/** `copy: {content, dest}`: COPY <<EOF dest, the text as written, a final newline added. */
export function copyContentLines(flags: readonly string[], content: string, dest: string, refuse: Refuse): string[] {
  const doc = quotedHeredoc(content, refuse, 'the content');
  return [['COPY', ...flags, doc.open, pathArguments([dest], refuse, 'a COPY destination')].join(' '), ...doc.lines, doc.close];
}

export const volumeLine = (paths: readonly string[], refuse: Refuse): string => `VOLUME ${jsonPaths(paths, refuse, 'a VOLUME path')}`;

/** ONBUILD prefixes the instruction's first line; its continuation lines stay as they are. */
export const onbuildLines = (lines: readonly string[]): string[] => lines.map((line, i) => (i === 0 ? `ONBUILD ${line}` : line));
