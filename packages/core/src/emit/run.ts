import type { Mount, Step } from '../resolve';
import { flag, heredoc, mountOption, shellLine, type Refuse } from './tokens';
import { baseName } from './refs';

function mountFlag(m: Mount, refuse: Refuse): string {
  const parts: string[] = [`type=${m.type}`];
  const add = (key: string, value: string | boolean | undefined): void => {
    if (value === true) parts.push(key);
    else if (typeof value === 'string') parts.push(mountOption(key, value, refuse));
  };
  switch (m.type) {
    case 'cache':
      add('target', m.target);
      add('id', m.id);
      add('sharing', m.sharing);
      break;
    case 'secret':
      add('id', m.id);
      add('target', m.target);
      add('env', m.env);
      if (m.required) add('required', 'true');
      break;
    case 'bind':
      add('from', m.from && baseName(m.from, refuse));
      add('source', m.source);
      add('target', m.target);
      add('rw', m.rw);
      break;
    case 'tmpfs':
      add('target', m.target);
      break;
    case 'ssh':
      add('id', m.id);
      add('target', m.target);
      break;
  }
  return `--mount=${parts.join(',')}`;
}

/**
 * RUN layout: one line when short; with several commands, one `&& command` per continuation
 * line; with several mounts, one flag per line too, so reviews of the generated file read well.
 * A single multi-line command is a heredoc. Every piece goes through a token function.
 */
export function runLines(step: Extract<Step, { kind: 'run' }>, refuse: Refuse): string[] {
  const flags = [...step.mounts.map((m) => mountFlag(m, refuse)), ...(step.network ? [flag('network', step.network, refuse)] : [])];
  const commands = step.commands.map((c) => c.replace(/\n+$/, ''));
  if (commands.length === 1 && commands[0]!.includes('\n')) {
    const { delimiter, lines } = heredoc(commands[0]!, refuse);
    return [`RUN ${flags.map((f) => `${f} `).join('')}<<${delimiter}`, ...lines, delimiter];
  }
  const body = commands.map((c, i) => {
    const line = shellLine(c, refuse, { heredocs: true, what: commands.length > 1 ? `the command "${c}"` : 'the run command' });
    return i === 0 ? line : `&& ${line}`;
  });
  if (flags.length <= 1) {
    const [first, ...rest] = body;
    if (rest.length === 0) return [`RUN ${[...flags, first].join(' ')}`];
    return [`RUN ${[...flags, first].join(' ')} \\`, ...rest.map((c, i) => `    ${c}${i < rest.length - 1 ? ' \\' : ''}`)];
  }
  const parts = [...flags, ...body];
  return parts.map((part, i) => `${i === 0 ? 'RUN ' : '    '}${part}${i < parts.length - 1 ? ' \\' : ''}`);
}
