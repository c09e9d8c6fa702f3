import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostic } from '@stagec/core';

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

const fail = (code: Diagnostic['code'], message: string, file: string): { diagnostics: Diagnostic[] } => ({
  diagnostics: [{ code, severity: 'error', message, file, line: 0, column: 0, endLine: 0, endColumn: 0 }],
});

/** `-c` as given, else the nearest stages.yaml from the working directory upwards (like git or nx find their root). */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit) return resolve(cwd, explicit);
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, DEFAULT_CONFIG);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function readConfig(cwd: string, explicit?: string): ConfigFile | { diagnostics: Diagnostic[] } {
  const path = findConfig(cwd, explicit);
  if (!path) return fail('FILE_NOT_FOUND', `no ${DEFAULT_CONFIG} in ${cwd} or any folder above it (pass -c <file>)`, DEFAULT_CONFIG);
  const display = relative(cwd, path) || path;
  if (!existsSync(path)) return fail('FILE_NOT_FOUND', `${display} does not exist`, display);
  if (statSync(path).isDirectory()) return fail('FILE_UNREADABLE', `${display} is a folder, not a file`, display);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    const reason = error instanceof TypeError ? 'it is not valid UTF-8 text' : (error as Error).message;
    return fail('FILE_UNREADABLE', `cannot read ${display}: ${reason}`, display);
  }
  return { path, root: dirname(path), display, text: text.replace(/^\uFEFF/, '') };
}
