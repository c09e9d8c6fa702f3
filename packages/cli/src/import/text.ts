/** String helpers shared by the mapping and the comparison: exec forms, `&&` chains, heredocs, variables. */
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

export interface Heredoc {
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

