import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

export const relativeTo = (root: string, absolute: string): string => relative(root, absolute).split(sep).join('/');
