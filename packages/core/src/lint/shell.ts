import { parse } from 'shell-quote';

/** One simple command of a shell script: its words, after leading `VAR=value` assignments. */
export interface SimpleCommand {
  argv: string[];
  /** The operator after it: `|` marks the left side of a pipe. */
  next?: string;
  /** True inside `( ... )`: a subshell, whose `cd` does not leak. */
  subshell: boolean;
}

const SEPARATORS = new Set(['&&', '||', ';', ';;', '|', '|&', '&', '(', ')']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Splits a RUN's shell script into simple commands with shell-quote, so quoted text
 * (`grep "a|b"`) is never mistaken for an operator. Variables are kept as written (`$PKG`).
 * Lines are parsed one by one (continuations joined), as `sh` reads a heredoc script.
 */
export function simpleCommands(script: string): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  for (const line of script.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    let argv: string[] = [];
    let depth = 0;
    let redirect = false;
    const flush = (next?: string): void => {
      while (argv.length > 0 && ASSIGNMENT.test(argv[0]!)) argv.shift();
      if (argv.length > 0) out.push({ argv, subshell: depth > 0, ...(next ? { next } : {}) });
      argv = [];
    };
    let tokens: ReturnType<typeof parse>;
    try {
      tokens = parse(line, (name) => `$${name}`);
    } catch {
      continue; // not shell-quote's grammar (an unbalanced quote): nothing to judge
    }
    for (const raw of tokens) {
      // shell-quote's entries: a word, an operator, a glob or a comment.
      const token = raw as string | { op: string; pattern?: string } | { comment: string };
      if (typeof token === 'string') {
        if (redirect) redirect = false;
        else argv.push(token);
      } else if ('comment' in token) {
        break;
      } else if (token.op === 'glob') {
        if (redirect) redirect = false;
        else argv.push(token.pattern ?? '');
      } else if (SEPARATORS.has(token.op)) {
        flush(token.op);
        if (token.op === '(') depth++;
        if (token.op === ')') depth = Math.max(0, depth - 1);
      } else {
        redirect = true; // >, >>, <, >&, <(: the next word is a file or descriptor
      }
    }
    flush();
  }
  return out;
}

/** `set -o pipefail`, `set -eo pipefail`, `set -euxo pipefail` or `set -o errexit -o pipefail`. */
export function setsPipefail(command: SimpleCommand): boolean {
  if (command.argv[0] !== 'set') return false;
  return command.argv.some((word, i) => word === 'pipefail' && /^-[a-z]*o$/.test(command.argv[i - 1] ?? ''));
}

/** A program name without its folder: `/usr/bin/apt-get` is `apt-get`. */
export const program = (command: SimpleCommand): string => (command.argv[0] ?? '').replace(/^.*\//, '');

/** The first word after the program that is not an option, and its index: `apt-get -q install x` gives install. */
export function subcommand(command: SimpleCommand, from = 1): { word: string; index: number } | undefined {
  for (let i = from; i < command.argv.length; i++) {
    const word = command.argv[i]!;
    if (!word.startsWith('-')) return { word, index: i };
  }
  return undefined;
}

/** True when any option is one of `long`, or a short-option cluster (`-qy`) holds `short`. */
export function hasFlag(argv: readonly string[], long: readonly string[], short?: string): boolean {
  return argv.some((w) => long.includes(w) || (short !== undefined && /^-[A-Za-z]+$/.test(w) && w.includes(short)));
}
