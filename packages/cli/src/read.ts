import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/**
 * The one read path (README, "File safety"). Regular files only: opened with O_NONBLOCK (a FIFO must not
 * block the open) and O_NOFOLLOW (the last component must not be a symlink), checked with
 * fstat on the descriptor (what was opened, not what the path names a moment later), and read
 * to at most `maxBytes + 1` bytes, so `/dev/zero` or a growing file can never exhaust memory.
 */
export type ReadResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'missing' | 'symlink' | 'folder' | 'special' | 'too-large' | 'unreadable'; detail: string; size?: number };

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

export function readRegular(path: string, maxBytes: number): ReadResult {
  const read = readRegularStat(path, maxBytes);
  return read.ok ? { ok: true, bytes: read.bytes } : read;
}

/** readRegular, with the descriptor's fstat too (its dev:ino tells a hard link to an input, without another lstat). */
export function readRegularStat(
  path: string,
  maxBytes: number,
): { ok: true; bytes: Buffer; stat: Stats } | Exclude<ReadResult, { ok: true }> {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', detail: 'it does not exist' };
    if (code === 'ELOOP') return { ok: false, reason: 'symlink', detail: 'it is a symbolic link' };
    if (code === 'EISDIR') return { ok: false, reason: 'folder', detail: 'it is a folder, not a file' };
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, reason: 'folder', detail: 'it is a folder, not a file' };
    if (!stat.isFile()) return { ok: false, reason: 'special', detail: `it is ${kind(stat)}, not a regular file` };
    if (stat.size > maxBytes) return { ok: false, reason: 'too-large', detail: `it has ${stat.size} bytes`, size: stat.size };
    // fstat's size may be stale (a file that grows while read, or /proc's size 0): read at most one
    // byte past the cap. The first buffer is the size fstat gave plus the one byte that proves
    // the end, not a fixed 64 KiB: a plan reads thousands of small Dockerfiles, and oversized
    // buffers were most of its garbage.
    const chunks: Buffer[] = [];
    let total = 0;
    let chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, stat.size + 1));
    let filled = 0;
    for (;;) {
      if (filled === chunk.length) {
        chunks.push(chunk);
        total += filled;
        chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, 64 * 1024));
        filled = 0;
      }
      const n = readSync(fd, chunk, filled, chunk.length - filled, null);
      if (n === 0) break;
      filled += n;
      if (total + filled > maxBytes)
        return { ok: false, reason: 'too-large', detail: `it has more than ${maxBytes} bytes`, size: total + filled };
    }
    const last = chunk.subarray(0, filled);
    return { ok: true, bytes: chunks.length === 0 ? last : Buffer.concat([...chunks, last], total + filled), stat };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** A buffer kept for encoding texts to compare (grown to the longest text; encoding allocates nothing). */
let scratch = Buffer.allocUnsafe(4096);

/**
 * `bytes.toString('utf8') === text`, without decoding the bytes: a plan compares thousands of
 * files with what it would write, and most are unchanged. For a well-formed text without
 * U+FFFD, decoding is injective and exact (an invalid sequence would decode to U+FFFD), so the
 * bytes decode to the text exactly when they are its UTF-8 encoding; any other text is decoded
 * and compared as before. A property test holds the two to each other.
 */
export function bytesAreText(bytes: Buffer, text: string): boolean {
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed() || text.includes('\ufffd')) return bytes.toString('utf8') === text;
  // UTF-8 takes one to three bytes per UTF-16 unit (a surrogate pair: four for two).
  if (bytes.length < text.length || bytes.length > text.length * 3) return false;
  if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafe(text.length * 3);
  const n = scratch.write(text, 0, 'utf8');
  return n === bytes.length && scratch.compare(bytes, 0, n, 0, n) === 0;
}

function kind(stat: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

/** `--max-config-size` values: bytes, or a number with K, M, G (powers of 1024), `KiB`/`MB` spellings too. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const bytes = Math.floor(Number(match[1]) * unit);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
