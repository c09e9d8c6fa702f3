import type { Flag, Instruction } from 'dockerfile-ast';
import type { StageLookup } from './map';
import type { Doc } from './model';
import { execForm, heredocOf, splitCommands } from './text';

interface Flagged {
  getFlags(): Flag[];
}

export const flags = (instruction: Instruction): Flag[] => (instruction as unknown as Partial<Flagged>).getFlags?.() ?? [];

/** Arguments after the flags, as one string with the line continuations removed. */
export function argumentText(instruction: Instruction): string {
  const args = instruction.getArguments();
  if (args.length === 0) return '';
  const content = instruction.getArgumentsContent() ?? '';
  const first = args[0]!.getValue();
  const at = content.indexOf(first);
  return (flags(instruction).length > 0 && at >= 0 ? content.slice(at) : content).trim();
}

const MOUNT_ALIASES: Record<string, string> = { dst: 'target', destination: 'target', src: 'source', ro: 'readonly', readwrite: 'rw' };
const INTEGER_OPTIONS = new Set(['uid', 'gid', 'size']);

/** One `--mount` flag to the run step's cache / secrets / mounts entry. */
function mount(flag: Flag, lookup: StageLookup): { list: 'cache' | 'secrets' | 'mounts'; entry: unknown } | string {
  const options: Doc = {};
  for (const option of flag.getOptions()) {
    const name = option.getName().toLowerCase();
    const key = MOUNT_ALIASES[name] ?? name;
    const value = option.getValue();
    if (value === null || value === 'true') options[key] = true;
    else if (value === 'false') options[key] = false;
    else if (INTEGER_OPTIONS.has(key) && /^\d+$/.test(value)) options[key] = Number(value);
    else options[key] = value;
  }
  const type = typeof options.type === 'string' ? options.type : 'bind';
  delete options.type;
  if (typeof options.from === 'string') options.from = lookup(options.from);
  if (type === 'cache') return { list: 'cache', entry: Object.keys(options).length === 1 && typeof options.target === 'string' ? options.target : options };
  if (type === 'secret') return { list: 'secrets', entry: Object.keys(options).length === 1 && typeof options.id === 'string' ? options.id : options };
  if (type === 'bind' || type === 'tmpfs' || type === 'ssh') return { list: 'mounts', entry: { type, ...options } };
  return `a --mount of type "${type}"`;
}

export function runStep(instruction: Instruction, lookup: StageLookup): Doc | string {
  const run: Doc = {};
  for (const flag of flags(instruction)) {
    const name = flag.getName().toLowerCase();
    if (name === 'mount') {
      const m = mount(flag, lookup);
      if (typeof m === 'string') return m;
      ((run[m.list] ??= []) as unknown[]).push(m.entry);
    } else if (name === 'network' || name === 'security') run[name] = flag.getValue() ?? '';
    else return `RUN --${name}`;
  }
  const text = argumentText(instruction);
  const exec = execForm(text);
  const raw = (instruction.getRawArgumentsContent() ?? '').replace(/^(\s*--\S+\s+)*/, '');
  if (exec) run.exec = exec;
  else if (raw.trimStart().startsWith('<<')) {
    const heredoc = heredocOf(raw.trim());
    if (!heredoc) return 'a RUN with several heredocs, `<<-`, or text after the heredoc';
    // stagec writes RUN heredocs unquoted: the same where the text holds nothing to expand.
    if (heredoc.quoted && /[$\\]/.test(heredoc.body)) return 'a RUN heredoc with a quoted delimiter whose text holds $ or \\';
    // A one-line script without an interpreter runs as the shell form would: it is written as one.
    run.command = heredoc.rest ? heredoc.body : heredoc.body.includes('\n') ? `${heredoc.body.replace(/\n$/, '')}\n` : heredoc.body.trim();
    if (heredoc.rest) run.interpreter = heredoc.rest;
  } else {
    const commands = splitCommands(text);
    if (commands.length > 1) run.commands = commands;
    else run.command = commands[0] ?? '';
  }
  const keys = Object.keys(run);
  if (keys.length === 1 && run.command !== undefined) return { run: run.command };
  if (keys.length === 1 && run.commands !== undefined) return { run: run.commands };
  // The command first: it is what a reader looks for.
  const ordered: Doc = {};
  for (const key of ['command', 'commands', 'exec', 'interpreter']) if (run[key] !== undefined) ordered[key] = run[key];
  return { run: { ...ordered, ...run } };
}

/** COPY and ADD: flags, sources, destination; a COPY heredoc becomes `content`. */
export function copyStep(instruction: Instruction, lookup: StageLookup): Doc | string {
  const kind = instruction.getKeyword().toLowerCase() as 'copy' | 'add';
  const out: Doc = {};
  for (const flag of flags(instruction)) {
    const name = flag.getName().toLowerCase();
    const value = flag.getValue();
    if (name === 'from' && kind === 'copy') out.from = lookup(value ?? '');
    else if (name === 'chown' || name === 'chmod' || (name === 'checksum' && kind === 'add')) out[name] = value ?? '';
    else if ((name === 'link' || name === 'parents' || name === 'keep-git-dir') && (value === null || value === 'true')) out[name === 'keep-git-dir' ? 'keepGitDir' : name] = true;
    else if (name === 'exclude' && kind === 'copy') ((out.exclude ??= []) as string[]).push(value ?? '');
    else return `${kind.toUpperCase()} --${name}${value === null ? '' : `=${value}`}`;
  }
  const text = argumentText(instruction);
  if (text.startsWith('<<')) {
    const heredoc = heredocOf((instruction.getRawArgumentsContent() ?? '').replace(/^(\s*--\S+\s+)*/, '').trim());
    if (kind !== 'copy' || !heredoc || !heredoc.rest || /\s/.test(heredoc.rest)) return `${kind.toUpperCase()} with this heredoc`;
    if (!heredoc.quoted && /[$\\]/.test(heredoc.body)) return 'a COPY heredoc with an unquoted delimiter whose text holds $ or \\ (stagec quotes it, so nothing would expand)';
    return { copy: { content: `${heredoc.body}\n`, dest: heredoc.rest, ...out } };
  }
  const paths = execForm(text) ?? instruction.getArguments().map((a) => a.getValue());
  if (paths.length < 2) return `${kind.toUpperCase()} without a destination`;
  const dest = paths.at(-1)!;
  const sources = paths.slice(0, -1);
  const src = sources.length === 1 ? sources[0]! : sources;
  if (kind === 'copy' && Object.keys(out).length === 0 && (dest === './' || dest === '.')) return { copy: src };
  return { [kind]: { src, dest, ...out } };
}

