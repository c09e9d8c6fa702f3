import { jsonArray } from './path';
import { noControl, notEmpty, notFlagLike, noTrailingBackslash, type Refuse } from './refusal';

/** A word BuildKit's parser takes as a heredoc start in RUN / COPY / ADD: `[fd]<<[-]WORD` (its reHeredoc). */
const HEREDOC_WORD = /^\d*<<-?[^<\s]+$/;

export interface ShellOptions {
  /** RUN, where BuildKit looks for heredocs; CMD / ENTRYPOINT / HEALTHCHECK do not. */
  heredocs?: boolean;
  what?: string;
}

/**
 * One line of a shell-form command (RUN, CMD, ENTRYPOINT, HEALTHCHECK CMD, and each line of a
 * command list). Written as is when nothing in it can change the instruction: no control
 * character, no trailing backslash (it would join the next instruction), no leading `--` (a
 * flag) or `#` (a comment on a continuation line), no `<<WORD` (a heredoc that swallows the
 * next instructions), and not a JSON array (it would turn into exec form).
 */
export function shellLine(value: string, refuse: Refuse, options: ShellOptions = {}): string {
  const what = options.what ?? 'the command';
  if (!notEmpty(value, what, refuse) || !noControl(value, what, refuse)) return 'true';
  noTrailingBackslash(value, what, refuse);
  notFlagLike(value, what, refuse, 'start the command with the program; RUN options are run.network, run.cache, run.secrets, run.mounts');
  if (value.trimStart().startsWith('#')) {
    refuse({
      code: 'AMBIGUOUS_COMMAND',
      message: `${what} starts with "#", which Docker reads as a comment on a continuation line`,
      hint: 'remove the comment, or put it in the stage description',
      value,
    });
  }
  // Every heredoc word holds `<<`: a command without it needs no splitting into words.
  if (options.heredocs && value.includes('<<') && value.split(/\s+/).some((w) => HEREDOC_WORD.test(w))) {
    refuse({
      code: 'HEREDOC_IN_COMMAND',
      message: `${what} contains a heredoc marker (<<WORD) on one line: BuildKit would read the next lines of the Dockerfile as its body`,
      hint: 'write the command on several lines to get a heredoc (a multi-line run command), or put spaces around << for a shift',
      value,
    });
  }
  if (looksLikeJson(value)) {
    refuse({
      code: 'AMBIGUOUS_COMMAND',
      message: `${what} is a string that is a JSON array, so Docker would read it as exec form`,
      hint: 'write a YAML list for the exec form, or a plain command for the shell form',
      value,
    });
  }
  // Blanks around a shell command mean nothing to the shell, and the parser drops them anyway.
  return value.trim();
}

function looksLikeJson(value: string): boolean {
  const t = value.trim();
  if (!t.startsWith('[')) return false;
  try {
    return Array.isArray(JSON.parse(t));
  } catch {
    return false;
  }
}

/** Exec form (a JSON array), each element free of control characters. */
export function execForm(items: readonly string[], refuse: Refuse, what = 'an exec-form argument'): string {
  for (const item of items) noControl(item, what, refuse);
  return jsonArray(items);
}

/** CMD / ENTRYPOINT / HEALTHCHECK CMD: a list is exec form (`[]` is Docker's reset), a string the shell form. */
export function command(value: string | readonly string[], refuse: Refuse, what: string): string {
  return typeof value === 'string' ? shellLine(value, refuse, { what }) : execForm(value, refuse, `an argument of ${what}`);
}

/**
 * A heredoc body: every character but `\n` and `\t` is refused when it is a control character
 * (BuildKit trims CR before matching the delimiter, so a CR could end the body early). Returns
 * a delimiter that equals no body line after trimming whitespace and CR.
 */
export function heredoc(body: string, refuse: Refuse, what = 'the command'): { delimiter: string; lines: string[] } {
  noControl(body, what, refuse, '\n\t');
  const lines = body.split('\n');
  const trimmed = new Set(lines.map((l) => l.replace(/^[\s\r]+|[\s\r]+$/g, '')));
  let delimiter = 'EOF';
  for (let i = 1; trimmed.has(delimiter); i++) delimiter = `EOF${i}`;
  return { delimiter, lines };
}
