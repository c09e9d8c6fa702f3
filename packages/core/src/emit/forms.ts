import type { Mount, RunStep, StageRef } from '../resolve';
import { jsonArray } from './quote';

// The instruction forms of RUN, COPY from text, VOLUME and ONBUILD, one small function each,
// so the emitter's validation layer (DESIGN 13) can wrap them one by one.

const refName = (ref: StageRef): string => (ref.kind === 'stage' ? ref.stage : ref.image);

/** `--mount=type=...`: BuildKit's options in a fixed order per type; flags without a value when true. */
export function mountFlag(m: Mount): string {
  const parts: string[] = [`type=${m.type}`];
  const add = (key: string, value: string | number | boolean | undefined): void => {
    if (value === true) parts.push(key);
    else if (typeof value === 'string' || typeof value === 'number') parts.push(`${key}=${value}`);
  };
  const owner = (o: { mode?: string; uid?: number; gid?: number }): void => {
    add('mode', o.mode);
    add('uid', o.uid);
    add('gid', o.gid);
  };
  switch (m.type) {
    case 'cache':
      add('target', m.target);
      add('id', m.id);
      add('sharing', m.sharing);
      add('from', m.from && refName(m.from));
      add('source', m.source);
      owner(m);
      add('readonly', m.readonly);
      break;
    case 'secret':
      add('id', m.id);
      add('target', m.target);
      add('env', m.env);
      if (m.required) add('required', 'true');
      owner(m);
      break;
    case 'bind':
      add('from', m.from && refName(m.from));
      add('source', m.source);
      add('target', m.target);
      add('rw', m.rw);
      break;
    case 'tmpfs':
      add('target', m.target);
      add('size', m.size);
      break;
    case 'ssh':
      add('id', m.id);
      add('target', m.target);
      if (m.required) add('required', 'true');
      owner(m);
      break;
  }
  return `--mount=${parts.join(',')}`;
}

/** A delimiter that no body line equals, even after trimming (DESIGN 13). */
export function heredocDelimiter(lines: readonly string[]): string {
  const taken = new Set(lines.map((l) => l.trim()));
  let delimiter = 'EOF';
  for (let i = 1; taken.has(delimiter); i++) delimiter = `EOF${i}`;
  return delimiter;
}

/** Quoted (`<<"EOF"`) when the text holds `$` or `\`, so Docker expands nothing and the text arrives as written. */
function heredoc(body: string): { open: string; lines: string[]; close: string } {
  // An empty text is an empty file: no body lines at all.
  const lines = body === '' ? [] : body.replace(/\n$/, '').split('\n');
  const delimiter = heredocDelimiter(lines);
  return { open: /[$\\]/.test(body) ? `<<"${delimiter}"` : `<<${delimiter}`, lines, close: delimiter };
}

/** One instruction over several lines: the flags and parts joined with continuations. */
function continued(keyword: string, parts: readonly string[]): string[] {
  return parts.map((part, i) => `${i === 0 ? `${keyword} ` : '    '}${part}${i < parts.length - 1 ? ' \\' : ''}`);
}

const runFlags = (step: RunStep): string[] => [
  ...step.mounts.map(mountFlag),
  ...(step.network ? [`--network=${step.network}`] : []),
  ...(step.security ? [`--security=${step.security}`] : []),
];

/**
 * RUN layout: one line when short; with several commands, one `&& command` per continuation
 * line; with several flags, one flag per line too, so reviews of the generated file read well.
 * Exec form is a JSON array; `interpreter` and a multi-line command are heredocs.
 */
export function runLines(step: RunStep): string[] {
  const flags = runFlags(step);
  const prefix = flags.map((f) => `${f} `).join('');
  if (step.exec) return flags.length <= 1 ? [`RUN ${prefix}${jsonArray(step.exec)}`] : continued('RUN', [...flags, jsonArray(step.exec)]);
  if (step.interpreter !== undefined) {
    const doc = heredoc(step.commands.join('\n'));
    return [`RUN ${prefix}${doc.open} ${step.interpreter}`, ...doc.lines, doc.close];
  }
  const commands = step.commands.map((c) => c.replace(/\n+$/, ''));
  if (commands.length === 1 && commands[0]!.includes('\n')) {
    const lines = commands[0]!.split('\n');
    const delimiter = heredocDelimiter(lines);
    return [`RUN ${prefix}<<${delimiter}`, ...lines, delimiter];
  }
  const body = commands.map((c, i) => (i === 0 ? c : `&& ${c}`));
  if (flags.length <= 1) {
    const [first, ...rest] = body;
    if (rest.length === 0) return [`RUN ${[...flags, first].join(' ')}`];
    return [`RUN ${[...flags, first].join(' ')} \\`, ...rest.map((c, i) => `    ${c}${i < rest.length - 1 ? ' \\' : ''}`)];
  }
  return continued('RUN', [...flags, ...body]);
}

/** `copy: {content, dest}`: COPY <<EOF dest, the text as written, a final newline added. */
export function copyContentLines(flags: readonly string[], content: string, dest: string): string[] {
  const doc = heredoc(content);
  return [['COPY', ...flags, doc.open, dest].join(' '), ...doc.lines, doc.close];
}

export const volumeLine = (paths: readonly string[]): string => `VOLUME ${jsonArray(paths)}`;

/** ONBUILD prefixes the instruction's first line; its continuation lines stay as they are. */
export const onbuildLines = (lines: readonly string[]): string[] => lines.map((line, i) => (i === 0 ? `ONBUILD ${line}` : line));
