import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { decodeConfig, DEFAULT_MAX_CONFIG_SIZE, tooLarge, type Diagnostic } from '@stagec/core';
import { readRegular } from './read';

export const DEFAULT_CONFIG = 'stages.yaml';

export interface ConfigFile {
  /** Absolute path of stages.yaml. */
  path: string;
  /** The workspace root: the folder holding stages.yaml. */
  root: string;
  /** How diagnostics name the file: relative to the working directory. */
  display: string;
  text: string;
}

const fail = (code: Diagnostic['code'], message: string, file: string, hint?: string): { diagnostics: Diagnostic[] } => ({
  diagnostics: [{ code, severity: 'error', message, file, line: 0, column: 0, endLine: 0, endColumn: 0, ...(hint ? { hint } : {}) }],
});

/** `-c` as given, else the nearest stages.yaml from the working directory upwards (like git or nx find their root). */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) return resolve(cwd, explicit);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, DEFAULT_CONFIG);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Reads stages.yaml through the one read path: a regular file (a symlink to one is followed
 * when it stays inside the workspace), at most `maxBytes` (FILE_TOO_LARGE before any parsing), UTF-8 text.
 * A FIFO, a device (`-c /dev/zero`) or a folder is FILE_UNREADABLE at once.
 */
export function readConfig(cwd: string, explicit?: string, maxBytes = DEFAULT_MAX_CONFIG_SIZE): ConfigFile | { diagnostics: Diagnostic[] } {
  const path = findConfig(cwd, explicit);
  if (!path) return fail('FILE_NOT_FOUND', `no ${DEFAULT_CONFIG} in ${cwd} or any folder above it (pass -c <file>)`, DEFAULT_CONFIG);
  // An absolute -c is shown as typed (`/dev/zero`, not `../../../dev/zero`).
  const display = explicit !== undefined && isAbsolute(explicit) ? explicit : relative(cwd, path) || path;
  if (path.includes('\0')) return fail('FILE_NOT_FOUND', `the config path contains a NUL character`, display.replace(/\0/g, '\\0'));
  let real: string;
  try {
    real = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('FILE_NOT_FOUND', `${display} does not exist`, display);
    return fail('FILE_UNREADABLE', `cannot read ${display}: ${(error as Error).message}`, display);
  }
  // DESIGN 14: never read through a symlink that leaves the workspace (the folder holding the
  // name). A stages.yaml committed as a link to ~/.npmrc or /proc/self/environ would otherwise
  // be read, and its text quoted by the diagnostics into CI logs.
  const root = realpathSync(dirname(path));
  const inside = relative(root, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return fail('FILE_UNREADABLE', `cannot read ${display}: it is a symbolic link that leaves the workspace (to ${real})`, display, `pass -c ${real} to use that file (its folder is then the workspace)`);
  }
  const read = readRegular(real, maxBytes);
  if (!read.ok) {
    if (read.reason === 'too-large') return { diagnostics: [tooLarge(display, read.size, maxBytes)] };
    if (read.reason === 'missing') return fail('FILE_NOT_FOUND', `${display} does not exist`, display);
    return fail('FILE_UNREADABLE', `cannot read ${display}: ${read.detail}`, display, read.reason === 'unreadable' ? 'check its permissions' : `pass -c with a regular ${DEFAULT_CONFIG} file`);
  }
  const decoded = decodeConfig(read.bytes, display);
  if ('diagnostic' in decoded) return { diagnostics: [decoded.diagnostic] };
  return { path, root: dirname(path), display, text: decoded.text };
}
