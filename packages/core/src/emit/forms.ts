import { quotedHeredoc } from './run';
import { jsonPaths, pathArguments, type Refuse } from './tokens';

// COPY from text, the VOLUME step and ONBUILD (DESIGN 10), through the token layer (DESIGN 13).

/** `copy: {content, dest}`: COPY <<EOF dest, the text as written, a final newline added. */
export function copyContentLines(flags: readonly string[], content: string, dest: string, refuse: Refuse): string[] {
  const doc = quotedHeredoc(content, refuse, 'the content');
  const target = pathArguments([dest], refuse, 'a COPY destination');
  // pathArguments quotes with the JSON form, which a heredoc COPY does not have (resolve refuses
  // such a dest at its position; this keeps the emitter from ever writing one).
  if (target.startsWith('[')) refuse({ code: 'INVALID_VALUE', message: `"${dest}": the destination of a file written from text must be a plain word`, value: dest });
  return [['COPY', ...flags, doc.open, target].join(' '), ...doc.lines, doc.close];
}

export const volumeLine = (paths: readonly string[], refuse: Refuse): string => `VOLUME ${jsonPaths(paths, refuse, 'a VOLUME path')}`;

/** ONBUILD prefixes the instruction's first line; its continuation lines stay as they are. */
export const onbuildLines = (lines: readonly string[]): string[] => lines.map((line, i) => (i === 0 ? `ONBUILD ${line}` : line));
