import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { lockPathFor, parseLock, type Diagnostic, type Lock } from '@stagec/core';
import type { ConfigFile } from './config';
import { writeAtomic } from './write';

export interface LockFile {
  /** Absolute path: beside stages.yaml, `stages.lock`. */
  path: string;
  /** How diagnostics name it. */
  display: string;
  /** Its text; undefined when there is no lock file. */
  text?: string;
  lock?: Lock;
  diagnostics: Diagnostic[];
}

const fail = (display: string, message: string): Diagnostic => ({ code: 'LOCK_INVALID', severity: 'error', message, file: display, line: 0, column: 0, endLine: 0, endColumn: 0 });

/** The lock file of a config; absent is fine (nothing is pinned), unreadable or malformed is LOCK_INVALID. */
export function readLockFile(cwd: string, config: ConfigFile): LockFile {
  const path = lockPathFor(config.path);
  const display = relative(cwd, path) || path;
  if (!existsSync(path)) return { path, display, diagnostics: [] };
  // TODO(#10): read through the one safe read path once it lands in main.
  if (!lstatSync(path).isFile()) return { path, display, diagnostics: [fail(display, `${display} is not a regular file`)] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (error) {
    return { path, display, diagnostics: [fail(display, `cannot read ${display}: ${(error as Error).message}`)] };
  }
  const parsed = parseLock(text, display);
  return { path, display, text, diagnostics: parsed.diagnostics, ...(parsed.lock ? { lock: parsed.lock } : {}) };
}

/**
 * The one place stages.lock is written. TODO(#10): through the safe write path (checks, temp
 * files, restore on a failed rename) once it lands in main; until then, atomically beside it.
 */
export function writeLockFile(lock: LockFile, content: string): void {
  writeAtomic(lock.path, content);
}
