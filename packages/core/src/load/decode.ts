import type { Diagnostic } from '../diagnostics';

/**
 * The largest stages.yaml read by default (`--max-config-size`): what `stagec compile` handles
 * within a 2 GiB heap on the 2-core CI machine, measured with scripts/measure-config-size.mjs
 * (numbers in the README). Above it FILE_TOO_LARGE, before any parsing.
 */
export const DEFAULT_MAX_CONFIG_SIZE = 8 * 1024 * 1024;

/** Bytes of a config file to text: UTF-8 only (a BOM dropped), else FILE_UNREADABLE at the first bad byte. */
export function decodeConfig(bytes: Uint8Array, display: string): { text: string } | { diagnostic: Diagnostic } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { diagnostic: notUtf8(bytes, display) };
  }
}

/** FILE_TOO_LARGE for a file above the cap, before parsing. */
export function tooLarge(display: string, size: number | undefined, cap: number, flag = '--max-config-size'): Diagnostic {
  const has = size !== undefined && size > cap ? `${size} bytes` : `more than ${cap} bytes`;
  return {
    code: 'FILE_TOO_LARGE',
    severity: 'error',
    message: `${display} has ${has}, over the limit of ${cap} bytes (${(cap / 2 ** 20).toFixed(0)} MiB)`,
    file: display,
    hint: `larger files risk exhausting memory; raise the limit with ${flag} <size> (e.g. 64M) if this one is meant`,
  };
}

/** FILE_UNREADABLE at the first byte that is not UTF-8, naming the bad sequence. */
function notUtf8(bytes: Uint8Array, display: string): Diagnostic {
  const bad = firstInvalidByte(bytes) ?? 0;
  const before = bytes.subarray(0, bad);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter((b) => b === 0x0a).length + 1;
  const column = new TextDecoder().decode(before.subarray(lineStart)).length + 1;
  const seq = [bytes[bad]!];
  for (let i = bad + 1; i < Math.min(bytes.length, bad + 4) && (bytes[i]! & 0xc0) === 0x80; i++) seq.push(bytes[i]!);
  const message = `${display} is not valid UTF-8 text: byte${seq.length > 1 ? 's' : ''} ${seq.map((b) => `0x${b.toString(16).toUpperCase()}`).join(' ')} at offset ${bad}`;
  return {
    code: 'FILE_UNREADABLE',
    severity: 'error',
    message,
    file: display,
    line,
    column,
    endLine: line,
    endColumn: column + 1,
    hint: 'save the file as UTF-8',
  };
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
