import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The one read path (DESIGN §14). Regular files only: opened with O_NONBLOCK (a FIFO must not
 * block the open) and O_NOFOLLOW (the last component must not be a symlink), checked with
 * fstat on the descriptor (what was opened, not what the path names a moment later), and read
 * to at most `maxBytes + 1` bytes, so `/dev/zero` or a growing file can never exhaust memory.
 */
export type ReadResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: 'missing' | 'symlink' | 'folder' | 'special' | 'too-large' | 'unreadable'; detail: string; size?: number };

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

export function readRegular(path: string, maxBytes: number): ReadResult {
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
    // fstat's size may be stale (a file that grows while read): read at most one byte past the cap.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1 - total, Math.max(stat.size + 1 - total, 64 * 1024)));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { ok: false, reason: 'too-large', detail: `it has more than ${maxBytes} bytes`, size: total };
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (error) {
    return { ok: false, reason: 'unreadable', detail: (error as Error).message };
  } finally {
    closeSync(fd);
  }
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
