import { relative, resolve } from 'node:path';
import { decodeConfig, DEFAULT_MAX_CONFIG_SIZE, lockPathFor, parseLock, tooLarge, type Diagnostic, type Lock } from '@stagec/core';
import type { ConfigFile } from './config';
import { commitFailureDiagnostic, refusalDiagnostics } from './outputs';
import { readRegular } from './read';
import { commitWrites, planWrites } from './write';

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

const at = (display: string): Pick<Diagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> => ({ file: display, line: 0, column: 0, endLine: 0, endColumn: 0 });

/**
 * The lock file of a config, through the one read path (a regular file, no symlink, at most the
 * config cap). Absent is fine (nothing is pinned); unreadable is FILE_UNREADABLE or
 * FILE_TOO_LARGE; malformed is LOCK_INVALID at its position.
 */
export function readLockFile(cwd: string, config: ConfigFile, maxBytes = DEFAULT_MAX_CONFIG_SIZE): LockFile {
  const path = lockPathFor(config.path);
  const display = relative(cwd, path) || path;
  const read = readRegular(path, maxBytes);
  if (!read.ok) {
    if (read.reason === 'missing') return { path, display, diagnostics: [] };
    const diagnostic: Diagnostic =
      read.reason === 'too-large'
        ? tooLarge(display, read.size, maxBytes)
        : { code: 'FILE_UNREADABLE', severity: 'error', message: `cannot read ${display}: ${read.detail}`, ...at(display), hint: 'stages.lock must be a regular file beside stages.yaml' };
    return { path, display, diagnostics: [diagnostic] };
  }
  const decoded = decodeConfig(read.bytes, display);
  if ('diagnostic' in decoded) return { path, display, diagnostics: [decoded.diagnostic] };
  const parsed = parseLock(decoded.text, display);
  return { path, display, text: decoded.text, diagnostics: parsed.diagnostics, ...(parsed.lock ? { lock: parsed.lock } : {}) };
}

/**
 * Writes stages.lock through the one write path: checked like every target (inside the
 * workspace, a regular file or absent, never stages.yaml), a temp file, then a rename. It is the
 * one file `lock` may replace whatever it holds (`replace: 'own'`). Returns what went wrong.
 */
export function writeLockFile(lock: LockFile, config: ConfigFile, content: string, maxBytes = DEFAULT_MAX_CONFIG_SIZE): Diagnostic[] {
  const files = planWrites(
    [{ display: lock.display, absolute: resolve(lock.path), content, origin: { flag: 'lock' }, scope: 'workspace', replace: 'own', isGenerated: () => true }],
    { root: config.root, inputs: [config.path], maxBytes },
  );
  const refused = refusalDiagnostics(files, config);
  if (refused.length > 0) return refused;
  const commit = commitWrites(files);
  return commit.failure ? [commitFailureDiagnostic(commit.failure, config)] : [];
}
