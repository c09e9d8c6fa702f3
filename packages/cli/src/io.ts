import { createColors } from 'picocolors';
import type { Style } from '@stagec/core';

/** Where a command reads and writes: the real process by default, buffers in tests. */
export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: Output;
  stderr: Output;
  /** -q/--quiet: errors and results only; --verbose: also what was left alone. Set by the global options. */
  verbosity?: 'quiet' | 'normal' | 'verbose';
}

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export const processIo = (): Io => ({ cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr });

/** Colour only on a TTY (DESIGN §4), NO_COLOR and FORCE_COLOR respected. */
export function styler(io: Io, stream: Output = io.stderr): (style: Style, text: string) => string {
  const enabled = io.env.NO_COLOR ? false : io.env.FORCE_COLOR ? io.env.FORCE_COLOR !== '0' : Boolean(stream.isTTY);
  const c = createColors(enabled);
  const styles: Record<Style, (t: string) => string> = {
    error: (t) => c.bold(c.red(t)),
    warning: (t) => c.bold(c.yellow(t)),
    code: c.cyan,
    dim: c.dim,
    bold: c.bold,
    caret: c.red,
  };
  return (style, text) => styles[style](text);
}

/** Exit codes, DESIGN §4. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends Error {}
