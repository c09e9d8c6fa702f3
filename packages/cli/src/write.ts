import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isGenerated } from '@stagec/core';

export type FileState = 'unchanged' | 'new' | 'stale' | 'hand-written' | 'outside';

export interface PlannedFile {
  /** Workspace-relative path. */
  path: string;
  absolute: string;
  content: string;
  previous?: string;
  state: FileState;
}

/** Where a path really lands once symlinks are followed: the nearest existing ancestor, resolved. */
function realTarget(absolute: string): string {
  let dir = dirname(absolute);
  const rest: string[] = [basename(absolute)];
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  return join(realpathSync(dir), ...rest);
}

/** Compares each output with what is on disk; writes nothing. */
export function planFiles(root: string, outputs: readonly { path: string; text: string }[]): PlannedFile[] {
  const realRoot = realpathSync(root);
  return outputs.map(({ path, text }) => {
    const absolute = resolve(root, path);
    const real = realTarget(absolute);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return { path, absolute, content: text, state: 'outside' };
    if (!existsSync(absolute)) return { path, absolute, content: text, state: 'new' };
    const previous = readFileSync(absolute, 'utf8');
    const state: FileState = previous === text ? 'unchanged' : isGenerated(previous) ? 'stale' : 'hand-written';
    return { path, absolute, content: text, previous, state };
  });
}

/**
 * Atomic write: a temp file beside the target, then rename, so a reader (or a crash) only
 * ever sees the old or the new content. The temp file is removed if anything fails.
 */
export function writeAtomic(absolute: string, content: string): void {
  mkdirSync(dirname(absolute), { recursive: true });
  const temp = join(dirname(absolute), `.${basename(absolute)}.stagec-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content, { mode: 0o644 });
    renameSync(temp, absolute);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Temp files a killed run left beside `absolute` (`.<name>.stagec-<pid>-<hex>.tmp`): removed
 * when their process is gone, never while another live run may still rename them.
 */
export function removeStaleTemps(absolute: string): void {
  const dir = dirname(absolute);
  const prefix = `.${basename(absolute)}.stagec-`;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = entry.startsWith(prefix) && entry.endsWith('.tmp') ? Number(entry.slice(prefix.length).split('-')[0]) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(dir, entry), { force: true });
  }
}

export const relativeTo = (root: string, absolute: string): string => relative(root, absolute).split(sep).join('/');
