import type { DiagnosticCode } from '../../diagnostics';

/** Why a value cannot be written as the token it stands for. The caller knows where the value came from. */
export interface Refusal {
  code: DiagnosticCode;
  message: string;
  hint?: string;
  /** The offending text as it reached the emitter: used to point at the exact YAML scalar. */
  value: string;
  /** The value is a mapping key (ENV/ARG/LABEL), so the diagnostic points at the key. */
  key?: boolean;
}

/**
 * Every token function takes the value and a `refuse` callback, and returns the text to write.
 * On a refusal the returned text is still well-formed but meaningless: the emitter's caller
 * discards the whole Dockerfile when anything was refused, so it never reaches a file.
 */
export type Refuse = (refusal: Refusal) => void;

/** Collects refusals: `const [refuse, found] = collect()`; validate-time checks use it. */
export function collect(): [Refuse, Refusal[]] {
  const found: Refusal[] = [];
  return [(r) => found.push(r), found];
}

/**
 * Refused control characters (README, "Reliability"): U+0000-U+001F, U+007F, U+0085, U+2028,
 * U+2029. `\n` and `\t` are allowed only where a caller says so.
 */
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/u;

const NAMES: Record<string, string> = { '\n': 'a newline', '\r': 'a carriage return (CR)', '\t': 'a tab', '\u0000': 'a NUL byte' };
const describeChar = (c: string): string =>
  NAMES[c] ?? `the control character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first control character not in `allow`, or undefined. */
export function controlCharacter(value: string, allow = ''): string | undefined {
  // One native scan settles the common case (no control character at all); only a value that
  // has one is walked character by character to find the first that `allow` does not cover.
  if (!CONTROL.test(value)) return undefined;
  for (const c of value) if (CONTROL.test(c) && !allow.includes(c)) return c;
  return undefined;
}

/**
 * The checks every token shares: no control character (a newline gets NEWLINE_IN_VALUE, which
 * says how to write several lines where the field allows it). Returns true when the value passed.
 */
export function noControl(value: string, what: string, refuse: Refuse, allow = ''): boolean {
  const c = controlCharacter(value, allow);
  if (c === undefined) return true;
  if (c === '\n') {
    refuse({ code: 'NEWLINE_IN_VALUE', message: `${what} must be one line: a newline would start a new Dockerfile instruction`, value });
  } else {
    refuse({
      code: 'CONTROL_CHARACTER',
      message: `${what} contains ${describeChar(c)}, which BuildKit would read differently from what is written`,
      hint: 'remove it: a Dockerfile cannot hold it as written (write a tab as spaces, or as an escape the program reads)',
      value,
    });
  }
  return false;
}

/** Docker variable references: `$X`, `${X}`, `${X:-default}`, `${X:+alt}` (the modifier's word without spaces or quotes). */
export const VARIABLE = /\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-+?][^}\s"'\\]*)?\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

/** A value with its variables replaced by a neutral placeholder, for grammar checks. */
export const withoutVariables = (value: string, placeholder = 'x'): string =>
  // Every variable starts with `$`: a value without one is returned as it is, unscanned.
  value.includes('$') ? value.replace(VARIABLE, placeholder) : value;

/** A line ending in `\` (before trailing blanks) joins the next line into this instruction. */
const endsInBackslash = (value: string): boolean => /\\[ \t]*$/.test(value);

export function noTrailingBackslash(value: string, what: string, refuse: Refuse): boolean {
  if (!endsInBackslash(value)) return true;
  refuse({
    code: 'TRAILING_BACKSLASH',
    message: `${what} ends in a backslash, which would join the next Dockerfile instruction onto this one`,
    hint: 'a value cannot end in a backslash: remove it (stagec writes the line breaks of a command list itself)',
    value,
  });
  return false;
}

export function notFlagLike(value: string, what: string, refuse: Refuse, hint: string): boolean {
  if (!value.trimStart().startsWith('--')) return true;
  refuse({
    code: 'FLAG_LIKE_VALUE',
    message: `${what} starts with "--", so BuildKit would read it as a flag of the instruction`,
    hint,
    value,
  });
  return false;
}

export function notEmpty(value: string, what: string, refuse: Refuse): boolean {
  if (value.trim() !== '') return true;
  refuse({ code: 'EMPTY_VALUE', message: `${what} is empty, which Docker rejects or reads as something else`, value });
  return false;
}
