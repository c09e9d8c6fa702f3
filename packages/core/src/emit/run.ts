import type { Mount, RunStep } from '../resolve';
import { baseName } from './refs';
import { execForm, flag, heredoc, mountOption, shellLine, type Refuse } from './tokens';

/** `--mount=type=...`: BuildKit's options in a fixed order per type; flags without a value when true. */
function mountFlag(m: Mount, refuse: Refuse): string {
  const parts: string[] = [`type=${m.type}`];
  const add = (key: string, value: string | number | boolean | undefined): void => {
    if (value === true) parts.push(key);
    // uid, gid and size are integers by the schema: nothing in them to quote.
    else if (typeof value === 'number') parts.push(`${key}=${value}`);
    else if (typeof value === 'string') parts.push(mountOption(key, value, refuse));
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
      add('from', m.from && baseName(m.from, refuse));
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
      add('from', m.from && baseName(m.from, refuse));
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

/**
 * A heredoc opener and body: the delimiter is quoted (`<<"EOF"`) when the text holds `$` or
 * `\`, so Docker expands nothing and the text arrives as written; an empty text has no lines.
 */
export function quotedHeredoc(text: string, refuse: Refuse, what: string): { open: string; lines: string[]; close: string } {
  const body = text.replace(/\n$/, '');
  const { delimiter, lines } = heredoc(body, refuse, what);
  return { open: /[$\\]/.test(text) ? `<<"${delimiter}"` : `<<${delimiter}`, lines: text === '' ? [] : lines, close: delimiter };
}

/** One instruction over several lines: the flags and parts joined with continuations. */
const continued = (keyword: string, parts: readonly string[]): string[] =>
  parts.map((part, i) => `${i === 0 ? `${keyword} ` : '    '}${part}${i < parts.length - 1 ? ' \\' : ''}`);

/**
 * RUN layout: one line when short; with several commands, one `&& command` per continuation
 * line; with several flags, one flag per line too, so reviews of the generated file read well.
 * Exec form is a JSON array; `interpreter` and a single multi-line command are heredocs.
 * Every piece goes through a token function.
 */
export function runLines(step: RunStep, refuse: Refuse): string[] {
  const flags: string[] = [];
  for (const m of step.mounts) flags.push(mountFlag(m, refuse));
  if (step.network) flags.push(flag('network', step.network, refuse));
  if (step.security) flags.push(flag('security', step.security, refuse));
  let prefix = '';
  for (const f of flags) prefix += `${f} `;
  if (step.exec) {
    const exec = execForm(step.exec, refuse, 'an exec-form RUN argument');
    return flags.length <= 1 ? [`RUN ${prefix}${exec}`] : continued('RUN', [...flags, exec]);
  }
  if (step.interpreter !== undefined) {
    const interpreter = shellLine(step.interpreter, refuse, { heredocs: true, what: 'the interpreter' });
    const doc = quotedHeredoc(step.commands.join('\n'), refuse, 'the script');
    return [`RUN ${prefix}${doc.open} ${interpreter}`, ...doc.lines, doc.close];
  }
  const commands = step.commands.map((c) => c.replace(/\n+$/, ''));
  if (commands.length === 1 && commands[0]!.includes('\n')) {
    const { delimiter, lines } = heredoc(commands[0]!, refuse);
    return [`RUN ${prefix}<<${delimiter}`, ...lines, delimiter];
  }
  const body: string[] = [];
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i]!;
    const line = shellLine(c, refuse, commands.length > 1 ? { heredocs: true, what: `the command "${c}"` } : SINGLE);
    body.push(i === 0 ? line : `&& ${line}`);
  }
  if (flags.length <= 1) {
    // `RUN [flag ]first`, then one continuation line per further command.
    const first = `RUN ${prefix}${body[0]}`;
    if (body.length === 1) return [first];
    const out = [`${first} \\`];
    for (let i = 1; i < body.length; i++) out.push(`    ${body[i]}${i < body.length - 1 ? ' \\' : ''}`);
    return out;
  }
  return continued('RUN', [...flags, ...body]);
}

const SINGLE = { heredocs: true, what: 'the run command' } as const;
