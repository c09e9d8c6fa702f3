import { DockerfileParser, type Flag, type From, type Instruction } from 'dockerfile-ast';
import { execForm, heredocOf, splitCommands } from './text';

/** An instruction as Docker means it, spacing, quoting and heredoc names aside; with the line it came from. */
interface Normal {
  text: string;
  line: number;
}

interface NormalStage {
  head: Normal;
  body: Normal[];
  /** EXPOSE, LABEL, HEALTHCHECK, STOPSIGNAL, ENTRYPOINT, CMD, ONBUILD: compared as a set, since they may move to the stage's end. */
  meta: Map<string, Normal>;
}

export interface Difference {
  /** 1-based line in the original Dockerfile (0: the file as a whole). */
  line: number;
  message: string;
}

const MOUNT_ALIASES: Record<string, string> = { dst: 'target', destination: 'target', src: 'source', ro: 'readonly', readwrite: 'rw' };

function flagText(flag: Flag, stageName: (ref: string) => string): string {
  const name = flag.getName().toLowerCase();
  const value = flag.getValue();
  if (name === 'mount') {
    const options = flag.getOptions().map((o) => {
      const key = MOUNT_ALIASES[o.getName().toLowerCase()] ?? o.getName().toLowerCase();
      const v = o.getValue();
      return key === 'from' && v !== null ? `from=${stageName(v)}` : v === null || v === 'true' ? `${key}` : `${key}=${v}`;
    });
    if (!options.some((o) => o.startsWith('type='))) options.push('type=bind');
    return `--mount=${options.sort().join(',')}`;
  }
  if (name === 'from') return `--from=${stageName(value ?? '')}`;
  return value === null || value === 'true' ? `--${name}` : `--${name}=${value}`;
}

const flagsOf = (i: Instruction): Flag[] => (i as unknown as { getFlags?: () => Flag[] }).getFlags?.() ?? [];
const props = (i: Instruction): { getName(): string; getValue(): string | null }[] =>
  (i as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties();

function argumentsAfterFlags(i: Instruction): string {
  const raw = i.getRawArgumentsContent() ?? '';
  return raw.replace(/^(\s*--\S+\s*)*/, '').trim();
}

/** Heredoc: the delimiter's name does not matter (DESIGN 11), whether it is quoted does. */
function heredocText(raw: string): string | undefined {
  const h = heredocOf(raw);
  // Quoting only matters where the text holds something to expand.
  const quoted = h?.quoted && /[$\\]/.test(h.body);
  return h ? `<<${quoted ? '"EOF"' : 'EOF'} ${h.rest}\n${h.body.replace(/\n$/, '')}` : undefined;
}

function bodyText(i: Instruction, stageName: (ref: string) => string): string[] {
  const keyword = i.getKeyword();
  const flags = flagsOf(i).map((f) => flagText(f, stageName)).sort();
  const head = [keyword, ...flags].join(' ');
  const content = (i.getArgumentsContent() ?? '').trim();
  const afterFlags = argumentsAfterFlags(i);
  switch (keyword) {
    case 'ARG':
    case 'ENV':
    case 'LABEL':
      return props(i).map((p) => `${keyword} ${p.getName()}${p.getValue() === null ? '' : `=${p.getValue()}`}`);
    case 'EXPOSE':
      return i.getArguments().map((a) => `EXPOSE ${a.getValue()}`);
    case 'RUN': {
      const exec = execForm(afterFlags.replace(/\\\n/g, ''));
      if (exec) return [`${head} ${JSON.stringify(exec)}`];
      if (afterFlags.startsWith('<<')) {
        // BuildKit runs a heredoc without a command through the shell, as the shell form: one line of it is that line.
        const h = heredocOf(afterFlags);
        if (h && !h.rest && !h.body.includes('\n') && !(h.quoted && /[$\\]/.test(h.body))) return [`${head} ${splitCommands(h.body).join(' && ')}`];
        return [`${head} ${heredocText(afterFlags) ?? afterFlags}`];
      }
      const args = i.getArguments();
      const text = args.length ? content.slice(Math.max(0, content.indexOf(args[0]!.getValue()))) : '';
      return [`${head} ${splitCommands(flags.length ? text : content).join(' && ')}`];
    }
    case 'COPY':
    case 'ADD': {
      if (afterFlags.startsWith('<<')) return [`${head} ${heredocText(afterFlags) ?? afterFlags}`];
      const paths = execForm(afterFlags.replace(/\\\n/g, '')) ?? i.getArguments().map((a) => a.getValue());
      if (paths.at(-1) === '.') paths[paths.length - 1] = './';
      return [`${head} ${JSON.stringify(paths)}`];
    }
    case 'CMD':
    case 'ENTRYPOINT':
    case 'SHELL':
    case 'VOLUME': {
      const exec = execForm(content);
      if (exec) return [`${keyword} ${JSON.stringify(exec)}`];
      return [`${keyword} ${keyword === 'VOLUME' ? JSON.stringify(i.getArguments().map((a) => a.getValue())) : content.replace(/\s+/g, ' ')}`];
    }
    case 'HEALTHCHECK': {
      const m = /^cmd\s+([\s\S]*)$/i.exec(afterFlags);
      const test = m ? (execForm(m[1]!) ? JSON.stringify(execForm(m[1]!)) : m[1]!.replace(/\s+/g, ' ').trim()) : afterFlags.toUpperCase();
      return [`${head} ${m ? 'CMD ' : ''}${test}`];
    }
    case 'ONBUILD': {
      const trigger = (i as unknown as { getTriggerInstruction(): Instruction | null }).getTriggerInstruction();
      return trigger ? bodyText(trigger, stageName).map((t) => `ONBUILD ${t}`) : [`ONBUILD ${content}`];
    }
    default:
      return [`${head} ${content.replace(/\s+/g, ' ')}`];
  }
}

const META = new Set(['EXPOSE', 'LABEL', 'HEALTHCHECK', 'STOPSIGNAL', 'ENTRYPOINT', 'CMD', 'ONBUILD']);
const LAST_WINS = new Set(['HEALTHCHECK', 'STOPSIGNAL', 'ENTRYPOINT', 'CMD']);

/** A Dockerfile's stages as comparable text; `names` renames stages by position (the importer's names for unnamed ones). */
export function normalizeDockerfile(text: string, names?: readonly string[]): { globals: Normal[]; stages: NormalStage[] } {
  const dockerfile = DockerfileParser.parse(text);
  const globals: Normal[] = [];
  const stages: NormalStage[] = [];
  const original: string[] = [];
  const nameAt = (index: number, from: From): string => names?.[index] ?? (from.getBuildStage() ?? `stage-${index}`).toLowerCase();
  for (const i of dockerfile.getInstructions()) {
    const line = i.getRange().start.line + 1;
    const stageName = (ref: string): string => {
      const at = /^\d+$/.test(ref) ? Number(ref) : original.findIndex((n) => n === ref.toLowerCase());
      return at >= 0 && at < stages.length ? stages[at]!.head.text.split(' AS ')[1]! : ref;
    };
    if (i.getKeyword() === 'FROM') {
      const from = i as From;
      const name = nameAt(stages.length, from);
      const platform = from.getPlatformFlag()?.getValue();
      const base = stageName(from.getArguments()[0]?.getValue() ?? '');
      stages.push({ head: { text: `FROM ${platform ? `--platform=${platform} ` : ''}${base} AS ${name}`, line }, body: [], meta: new Map() });
      original.push((from.getBuildStage() ?? `\0${stages.length}`).toLowerCase());
      continue;
    }
    const texts = bodyText(i, stageName).map((t) => ({ text: t, line }));
    const stage = stages.at(-1);
    if (!stage) globals.push(...texts);
    else if (META.has(i.getKeyword())) {
      for (const t of texts) {
        const key = LAST_WINS.has(i.getKeyword()) ? i.getKeyword() : i.getKeyword() === 'LABEL' ? t.text.split('=')[0]! : t.text;
        stage.meta.delete(key);
        stage.meta.set(key, t);
      }
    } else stage.body.push(...texts);
  }
  return { globals, stages };
}

/** What differs between a hand-written Dockerfile and the one stagec compiles from the import; empty = equivalent. */
export function compareDockerfiles(originalText: string, compiledText: string, names: readonly string[]): Difference[] {
  const a = normalizeDockerfile(originalText, names);
  const b = normalizeDockerfile(compiledText);
  const out: Difference[] = [];
  const set = (list: Normal[]) => new Set(list.map((n) => n.text));
  const bGlobals = set(b.globals);
  for (const g of a.globals) if (!bGlobals.has(g.text)) out.push({ line: g.line, message: `global ${g.text} is missing` });
  const aGlobals = set(a.globals);
  for (const g of b.globals) if (!aGlobals.has(g.text)) out.push({ line: 0, message: `the compiled file adds global ${g.text}` });
  if (a.stages.length !== b.stages.length) out.push({ line: 0, message: `${a.stages.length} stages, compiled ${b.stages.length}` });
  a.stages.forEach((sa, index) => {
    const sb = b.stages[index];
    if (!sb) return;
    if (sa.head.text !== sb.head.text) out.push({ line: sa.head.line, message: `${sa.head.text} compiles to ${sb.head.text}` });
    const length = Math.max(sa.body.length, sb.body.length);
    for (let k = 0; k < length; k++) {
      const x = sa.body[k];
      const y = sb.body[k];
      if (x?.text === y?.text) continue;
      out.push({ line: x?.line ?? sa.head.line, message: x && y ? `${x.text} compiles to ${y.text}` : x ? `${x.text} is missing` : `the compiled stage adds ${y!.text}` });
      break; // after the first shift, every later line would differ too
    }
    const metaB = new Set([...sb.meta.values()].map((n) => n.text));
    const metaA = new Set([...sa.meta.values()].map((n) => n.text));
    for (const m of sa.meta.values()) if (!metaB.has(m.text)) out.push({ line: m.line, message: `${m.text} is missing` });
    for (const m of sb.meta.values()) if (!metaA.has(m.text)) out.push({ line: sa.head.line, message: `the compiled stage adds ${m.text}` });
  });
  return out;
}
