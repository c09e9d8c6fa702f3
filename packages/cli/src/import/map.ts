import type { Flag, Instruction, Property } from 'dockerfile-ast';
import type { Doc, Refusal } from './model';

/**
 * One instruction of a stage body in the stage model: a step (its place matters), a movable
 * metadata field (DESIGN 11: EXPOSE, LABEL, HEALTHCHECK, STOPSIGNAL, ENTRYPOINT, CMD, ONBUILD
 * may move to the stage's end), or a refusal.
 */
export type Item =
  | { kind: 'step'; step: Doc; line: number; defines: string[] }
  | { kind: 'meta'; field: 'expose' | 'labels' | 'healthcheck' | 'stopsignal' | 'entrypoint' | 'cmd' | 'onbuild'; value: unknown; line: number; uses: string[] }
  | { kind: 'refuse'; refusal: Refusal };

/** A `FROM`, `--from` or mount `from` value as stages.yaml writes it: a stage of this file (by name or index) by its new name, else an image. */
export type StageLookup = (ref: string) => unknown;

interface Flagged {
  getFlags(): Flag[];
}
interface Propertied {
  getProperties(): Property[];
}

export const spanOf = (i: { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } } }) => {
  const r = i.getRange();
  return { line: r.start.line + 1, column: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 };
};

const refuse = (instruction: Instruction, message: string, hint?: string): Item => ({
  kind: 'refuse',
  refusal: { ...spanOf(instruction), message, ...(hint ? { hint } : {}) },
});

const VARIABLE = /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
export const variablesIn = (text: string): string[] => [...text.matchAll(VARIABLE)].map((m) => m[1] ?? m[2]).filter((n): n is string => Boolean(n));

/** The exec form's strings, read with a JSON parser (dockerfile-ast's own reading drops spaces inside strings). */
export function execForm(content: string): string[] | undefined {
  if (!content.trimStart().startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(content);
    return Array.isArray(parsed) && parsed.every((s) => typeof s === 'string') ? parsed : undefined;
  } catch {
    return undefined; // Docker runs a malformed JSON array as a shell command: so do we
  }
}

const flags = (instruction: Instruction): Flag[] => (instruction as unknown as Partial<Flagged>).getFlags?.() ?? [];
const flagValue = (instruction: Instruction, name: string): string | undefined => {
  const flag = flags(instruction).find((f) => f.getName().toLowerCase() === name);
  return flag ? (flag.getValue() ?? '') : undefined;
};

/** Arguments after the flags, as one string with the line continuations removed. */
function argumentText(instruction: Instruction): string {
  const args = instruction.getArguments();
  if (args.length === 0) return '';
  const content = instruction.getArgumentsContent() ?? '';
  const first = args[0]!.getValue();
  const at = content.indexOf(first);
  return (flags(instruction).length > 0 && at >= 0 ? content.slice(at) : content).trim();
}

/** Whitespace runs outside quotes become one space; `&&` chains split into their commands. */
export function splitCommands(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      current += c;
      if (c === '\\' && quote === '"' && i + 1 < text.length) current += text[++i];
      else if (c === quote) quote = undefined;
    } else if (c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
    } else if (c === "'" || c === '"') {
      quote = c;
      current += c;
    } else if (/\s/.test(c)) {
      if (!current.endsWith(' ')) current += ' ';
    } else if (c === '&' && text[i + 1] === '&' && current.endsWith(' ') && /\s/.test(text[i + 2] ?? '')) {
      parts.push(current.trim());
      current = '';
      i++;
    } else current += c;
  }
  if (quote) return [text.replace(/\s+/g, ' ').trim()];
  parts.push(current.trim());
  return parts.some((p) => p === '') ? [parts.join(' && ')] : parts;
}

interface Heredoc {
  delimiter: string;
  quoted: boolean;
  /** What follows `<<EOF` on the first line (an interpreter, or COPY's destination). */
  rest: string;
  body: string;
}

/** A heredoc instruction's parts from its raw text; undefined when there are several or text after it. */
export function heredocOf(raw: string): Heredoc | undefined {
  const lines = raw.split('\n');
  const head = /^<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2(.*)$/.exec(lines[0]!.trim());
  if (!head || head[1] === '-' || head[4]!.includes('<<')) return undefined;
  const end = lines.findIndex((l, i) => i > 0 && l === head[3]);
  if (end !== lines.length - 1) return undefined;
  return { delimiter: head[3]!, quoted: head[2] !== '', rest: head[4]!.trim(), body: lines.slice(1, end).join('\n') };
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

function runStep(instruction: Instruction, lookup: StageLookup): Doc | string {
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
    if (heredoc.quoted) return 'a RUN heredoc with a quoted delimiter';
    run.command = heredoc.body.endsWith('\n') || heredoc.rest ? heredoc.body : `${heredoc.body}\n`;
    if (heredoc.rest) run.interpreter = heredoc.rest;
    if (!heredoc.body.includes('\n') && !heredoc.rest) return 'a one-line RUN heredoc';
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
function copyStep(instruction: Instruction, lookup: StageLookup): Doc | string {
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

const properties = (instruction: Instruction): Property[] => (instruction as unknown as Propertied).getProperties();

/** ENV / ARG / LABEL pairs; undefined when ENV reads one of its own earlier keys (Docker reads the old value). */
function pairs(instruction: Instruction): [string, string | null][] | string {
  const out: [string, string | null][] = [];
  for (const p of properties(instruction)) {
    const value = p.getValue();
    if (instruction.getKeyword() === 'ENV' && value !== null && variablesIn(value).some((v) => out.some(([k]) => k === v)))
      return `ENV ${p.getName()} reads ${variablesIn(value).find((v) => out.some(([k]) => k === v))} set earlier in the same instruction (Docker reads its old value)`;
    out.push([p.getName(), value]);
  }
  return out;
}

const commandValue = (text: string): string | string[] => execForm(text) ?? text;
const port = (p: string): string | number => (/^\d+$/.test(p) ? Number(p) : p);

/** Maps one stage-body instruction (not FROM) to the stage model. */
export function mapInstruction(instruction: Instruction, lookup: StageLookup): Item {
  const keyword = instruction.getKeyword();
  const line = instruction.getRange().start.line + 1;
  const step = (s: Doc | string, defines: string[] = []): Item =>
    typeof s === 'string' ? refuse(instruction, `${s} has no form in stages.yaml`) : { kind: 'step', step: s, line, defines };
  const meta = (field: Extract<Item, { kind: 'meta' }>['field'], value: unknown, text = argumentText(instruction)): Item => ({ kind: 'meta', field, value, line, uses: variablesIn(text) });
  const text = argumentText(instruction);
  switch (keyword) {
    case 'RUN':
      return step(runStep(instruction, lookup));
    case 'COPY':
    case 'ADD':
      return step(copyStep(instruction, lookup));
    case 'ENV':
    case 'ARG': {
      const p = pairs(instruction);
      if (typeof p === 'string') return refuse(instruction, p, 'split it into two ENV instructions');
      if (keyword === 'ENV' && p.some(([, v]) => v === null)) return refuse(instruction, 'ENV without a value');
      return step({ [keyword.toLowerCase()]: Object.fromEntries(p) }, p.map(([k]) => k));
    }
    case 'WORKDIR':
      return step({ workdir: text });
    case 'USER':
      return step({ user: text });
    case 'SHELL': {
      const shell = execForm(text);
      return shell && shell.length > 0 ? step({ shell }) : refuse(instruction, 'SHELL must be a JSON array');
    }
    case 'VOLUME': {
      const paths = execForm(text) ?? instruction.getArguments().map((a) => a.getValue());
      return step({ volume: paths });
    }
    case 'EXPOSE':
      return meta('expose', instruction.getArguments().map((a) => port(a.getValue())));
    case 'LABEL': {
      const p = pairs(instruction);
      return typeof p === 'string' ? refuse(instruction, p) : meta('labels', Object.fromEntries(p));
    }
    case 'STOPSIGNAL':
      return meta('stopsignal', text);
    case 'ENTRYPOINT':
    case 'CMD':
      return meta(keyword.toLowerCase() as 'cmd', commandValue(text));
    case 'HEALTHCHECK':
      return healthcheck(instruction, meta);
    case 'ONBUILD': {
      const trigger = (instruction as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
      if (!trigger) return refuse(instruction, 'ONBUILD without an instruction');
      const inner = mapInstruction(trigger, lookup);
      if (inner.kind !== 'step') return inner.kind === 'refuse' ? inner : refuse(instruction, `ONBUILD ${trigger.getKeyword()} has no form in stages.yaml`);
      return meta('onbuild', inner.step);
    }
    case 'MAINTAINER':
      return refuse(instruction, 'MAINTAINER has no form in stages.yaml (it is deprecated)', 'write LABEL org.opencontainers.image.authors="..." instead, then import again');
    default:
      return refuse(instruction, `${keyword || instruction.getInstruction()} is not a Dockerfile instruction stagec knows`);
  }
}

function healthcheck(instruction: Instruction, meta: (f: 'healthcheck', v: unknown, t?: string) => Item): Item {
  const text = argumentText(instruction);
  if (/^none$/i.test(text)) return meta('healthcheck', 'none');
  const match = /^cmd\s+([\s\S]*)$/i.exec(text);
  if (!match) return refuse(instruction, 'HEALTHCHECK needs CMD or NONE');
  const value: Doc = { test: commandValue(match[1]!.trim()) };
  const names: Record<string, string> = { interval: 'interval', timeout: 'timeout', 'start-period': 'startPeriod', 'start-interval': 'startInterval', retries: 'retries' };
  for (const flag of flags(instruction)) {
    const key = names[flag.getName().toLowerCase()];
    const v = flag.getValue() ?? '';
    if (!key) return refuse(instruction, `HEALTHCHECK --${flag.getName()} has no form in stages.yaml`);
    value[key] = key === 'retries' && /^\d+$/.test(v) ? Number(v) : v;
  }
  return meta('healthcheck', value, text);
}

export const flagOf = flagValue;
