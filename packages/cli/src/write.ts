import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { isGenerated } from '@stagec/core';

/** `outside`: a symlink leads it out of the workspace; `blocked`: something on disk is in the way (see `blockedBy`). */
export type FileState = 'unchanged' | 'new' | 'stale' | 'hand-written' | 'outside' | 'blocked';

export interface PlannedFile {
  /** The service it belongs to. */
  service: string;
  /** Workspace-relative path. */
  path: string;
  absolute: string;
  content: string;
  previous?: string;
  state: FileState;
  /** For `blocked`: a file stands where a folder must be, or a folder where the Dockerfile goes. */
  blockedBy?: 'file-as-parent' | 'folder-in-place';
}

/** Where a path really lands once symlinks are followed (the nearest existing ancestor, resolved), and what, if anything, is in its way. */
function realTarget(absolute: string): { real: string; exists: boolean; blockedBy?: PlannedFile['blockedBy'] } {
  let dir = dirname(absolute);
  const rest: string[] = [basename(absolute)];
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  const real = join(realpathSync(dir), ...rest);
  if (!statSync(dir).isDirectory()) return { real, exists: false, blockedBy: 'file-as-parent' };
  const target = statSync(absolute, { throwIfNoEntry: false });
  return { real, exists: target !== undefined, ...(target?.isDirectory() ? { blockedBy: 'folder-in-place' as const } : {}) };
}

/** Compares each output with what is on disk, and finds the ones that cannot be written; writes nothing. */
export function planFiles(root: string, outputs: readonly { service: string; path: string; text: string }[]): PlannedFile[] {
  const realRoot = realpathSync(root);
  return outputs.map(({ service, path, text }) => {
    const file = { service, path, absolute: resolve(root, path), content: text };
    const { real, exists, blockedBy } = realTarget(file.absolute);
    if (real !== realRoot && !real.startsWith(realRoot + sep)) return { ...file, state: 'outside' };
    if (blockedBy) return { ...file, state: 'blocked', blockedBy };
    if (!exists) return { ...file, state: 'new' };
    const previous = readFileSync(file.absolute, 'utf8');
    const state: FileState = previous === text ? 'unchanged' : isGenerated(previous) ? 'stale' : 'hand-written';
    return { ...file, previous, state };
  });
}

/** This host, as it may appear in a file name. */
const HOST = hostname().replace(/[^A-Za-z0-9.]/g, '_') || 'host';

/**
 * Atomic write: a temp file beside the target, then rename, so a reader (or a crash) only
 * ever sees the old or the new content. The temp file is removed if anything fails, and temp
 * files a killed run left beside the target are removed first.
 */
export function writeAtomic(absolute: string, content: string): void {
  mkdirSync(dirname(absolute), { recursive: true });
  removeStaleTemps(absolute);
  const temp = join(dirname(absolute), `.${basename(absolute)}.stagec-${HOST}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
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
 * Temp files a killed run left beside `absolute` (`.<name>.stagec-<host>-<pid>-<hex>.tmp`):
 * removed when they were made on this host by a process that is gone. A run on another host,
 * or in another container (another PID namespace, another hostname) sharing the folder, keeps
 * its temp files: its pid means nothing here.
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
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const parts = entry.slice(prefix.length, -'.tmp'.length).split('-');
    parts.pop(); // the random part
    const pid = Number(parts.pop());
    if (parts.join('-') === HOST && Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(dir, entry), { force: true });
  }
}

export const relativeTo = (root: string, absolute: string): string => relative(root, absolute).split(sep).join('/');
