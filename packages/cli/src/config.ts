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
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return fail('FILE_UNREADABLE', `cannot read ${display}: ${(error as Error).message}`, display);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { diagnostics: [notUtf8(bytes, display)] };
  }
  return { path, root: dirname(path), display, text: text.replace(/^\uFEFF/, '') };
}

/** FILE_UNREADABLE at the first byte that is not UTF-8, naming the bad sequence. */
function notUtf8(bytes: Buffer, display: string): Diagnostic {
  const bad = firstInvalidByte(bytes) ?? 0;
  const before = bytes.subarray(0, bad);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter((b) => b === 0x0a).length + 1;
  const column = new TextDecoder().decode(before.subarray(lineStart)).length + 1;
  const seq = [bytes[bad]!];
  for (let i = bad + 1; i < Math.min(bytes.length, bad + 4) && (bytes[i]! & 0xc0) === 0x80; i++) seq.push(bytes[i]!);
  const message = `${display} is not valid UTF-8 text: byte${seq.length > 1 ? 's' : ''} ${seq.map((b) => `0x${b.toString(16).toUpperCase()}`).join(' ')} at offset ${bad}`;
  return { code: 'FILE_UNREADABLE', severity: 'error', message, file: display, line, column, endLine: line, endColumn: column + 1, hint: 'save the file as UTF-8' };
}

/**
 * Offset of the byte where UTF-8 decoding first fails, or undefined for valid text. A prefix
 * that decodes in streaming mode stays valid when shortened, so a binary search finds it.
 */
export function firstInvalidByte(bytes: Uint8Array): number | undefined {
  const valid = (end: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end), { stream: end < bytes.length });
      return true;
    } catch {
      return false;
    }
  };
  if (valid(bytes.length)) return undefined;
  let lo = 0; // valid(lo)
  let hi = bytes.length; // !valid(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (valid(mid)) lo = mid;
    else hi = mid;
  }
  // If the failing byte ends a multi-byte sequence too early, the error is at that sequence's lead byte.
  let start = lo;
  for (let i = lo - 1; i >= Math.max(0, lo - 3); i--) {
    const b = bytes[i]!;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (i + length > lo) start = i;
      break;
    }
    if ((b & 0xc0) !== 0x80) break;
  }
  return start;
}
