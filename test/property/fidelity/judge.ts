import { DockerfileParser, type Instruction } from 'dockerfile-ast';

/** An instruction as its parser reads it: keyword, flags (`name=value`), argument strings. */
export interface Read {
  keyword: string;
  flags: string[];
  args: string[];
}

interface Flagged {
  getFlags?: () => { getName(): string; getValue(): string | null }[];
}
interface Propertied {
  getProperties?: () => { getName(): string; getValue(): string | null }[];
}

/** BuildKit's lexer on a COPY / ADD / VOLUME word: `\'`, `\"`, `\\` are literal; `\$` stays the escaped dollar it denotes. */
export const unescapeWord = (s: string): string => s.replace(/\\(["'\\])/g, '$1');

/** Docker's reading of one double-quoted word: `\"` is `"`, `\\` is `\`; `\$` stays as the escaped dollar it denotes. */
export const unquote = (s: string): string => (/^"(?:[^"\\]|\\.)*"$/s.test(s) ? s.slice(1, -1).replace(/\\(["\\])/g, '$1') : s);

function jsonArgs(content: string): string[] | undefined {
  const t = content.trim();
  if (!t.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(t);
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Dockerfile as dockerfile-ast reads it. What it cannot judge, and how this reads around it:
 * - JSON arguments: its getJSONValue drops spaces inside strings ("x y" -> "xy"), so JSON
 *   arguments are read with JSON.parse from the argument text it delimits;
 * - shell words: it splits RUN/CMD text into words without shell quoting, so a shell-form
 *   command is compared as its whole argument text, not word by word;
 * - heredocs: it does not read heredoc bodies, so a RUN heredoc is cut out by the caller and
 *   its body compared as text (BuildKit's parser judges heredocs in bkparse.test.ts);
 * - COPY / ADD: in JSON form it reads ` --x` inside a JSON string as a flag, so their flags
 *   and arguments are read from the text of the instruction it delimits;
 * - `$` expansion and quote removal at build time are BuildKit's (test/e2e/fidelity.test.ts).
 */
export function readDockerfile(text: string): Read[] {
  const lines = text.split('\n');
  return DockerfileParser.parse(text)
    .getInstructions()
    .map((i: Instruction): Read => {
      const keyword = i.getKeyword().toUpperCase();
      if (keyword === 'COPY' || keyword === 'ADD') {
        const { start, end } = i.getRange();
        const raw = lines.slice(start.line, end.line + 1).join('\n').slice(start.character).replace(/^\S+\s+/, '');
        const prefix = raw.match(/^(?:--\S+\s+)*/)![0];
        const flags = prefix.trim().split(/\s+/).filter(Boolean).map((f) => (f.includes('=') ? f.slice(2) : `${f.slice(2)}=`));
        const rest = raw.slice(prefix.length);
        return { keyword, flags, args: jsonArgs(rest)?.map(unescapeWord) ?? rest.trim().split(/\s+/) };
      }
      const flags = ((i as Flagged).getFlags?.() ?? []).map((f) => `${f.getName()}=${f.getValue() ?? ''}`);
      const content = i.getArgumentsContent() ?? '';
      let args: string[];
      const props = (i as Propertied).getProperties?.();
      if (props && ['ENV', 'ARG', 'LABEL'].includes(keyword)) {
        args = props.flatMap((p) => [p.getName(), p.getValue() ?? '']);
      } else if (['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD', 'HEALTHCHECK'].includes(keyword) && jsonArgs(content.replace(/^CMD\s+/, ''))) {
        args = jsonArgs(content.replace(/^CMD\s+/, ''))!;
        if (['COPY', 'ADD', 'VOLUME'].includes(keyword)) args = args.map(unescapeWord);
      } else if (['COPY', 'ADD', 'FROM', 'EXPOSE'].includes(keyword)) {
        args = i.getArguments().map((a) => a.getValue());
      } else if (keyword === 'WORKDIR') {
        args = [unquote(content.trim())];
      } else {
        args = [content.trim()];
      }
      return { keyword, flags, args };
    });
}

/** Cuts RUN heredocs out of the text: the instruction line and body become one `RUN <<HEREDOC>` line; returns the bodies. */
export function cutHeredocs(text: string): { text: string; bodies: string[] } {
  const lines = text.split('\n');
  const out: string[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^RUN (.*)<<(EOF\d*)$/.exec(lines[i]!);
    const end = m ? lines.indexOf(m[2]!, i + 1) : -1;
    if (!m || end < 0) {
      out.push(lines[i]!);
      continue;
    }
    bodies.push(lines.slice(i + 1, end).join('\n'));
    out.push(`RUN ${m[1]}HEREDOC`);
    i = end;
  }
  return { text: out.join('\n'), bodies };
}

/** Replaces the plain text by the value in every flag and argument of a reading. */
export const substituted = (read: Read[], plain: string, value: string): Read[] =>
  read.map((r) => ({ keyword: r.keyword, flags: r.flags.map((f) => f.split(plain).join(value)), args: r.args.map((a) => a.split(plain).join(value)) }));
