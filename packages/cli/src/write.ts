import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type * as Os from 'node:os';
import { dirname, join } from 'node:path';
import { FolderPin } from './folder-pin';
import { ownsProcess } from './process-owner';
import type { Output } from './io';
import { childOf, nameOf, parentOf } from './paths';
import type { PlannedWrite } from './write-plan';

export { planWrites, type PlannedWrite, type RefusalReason, type WriteRequest } from './write-plan';

/**
 * Test-only injection points, between writing the temp files and each rename: `beforeRecheck`
 * (called for every file) lets a test swap a folder for a symlink (the re-check before the
 * first rename into a folder must catch it), `beforeRename` runs after the re-checks (the
 * window Node cannot close) and can make the rename fail.
 */
export const writeHooks: {
  beforeRecheck?: (file: PlannedWrite, index: number) => void;
  beforeRename?: (file: PlannedWrite, index: number) => void;
  /** Overrides ownsProcess() (process-owner.ts): false re-checks folders by realpath(3) and renames by path, as a worker thread does. */
  pinFolders?: boolean;
} = {};

export interface CommitFailure {
  file: PlannedWrite;
  message: string;
  /** Files already renamed and put back as they were. */
  restored: PlannedWrite[];
  /** Files already renamed that could not be put back (each with why). */
  unrestored: { file: PlannedWrite; message: string }[];
}

export interface CommitResult {
  written: PlannedWrite[];
  failure?: CommitFailure;
}

/**
 * This host's name (gethostname(2), which is what /proc/sys/kernel/hostname shows on Linux: read
 * there, a compile does not load node:os, about 11M instructions of start-up), as it may appear
 * in a file name.
 */
function hostName(): string {
  if (process.platform === 'linux')
    try {
      return readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
    } catch {
      // no /proc (a chroot, a sandbox): ask the system
    }
  return (require('node:os') as typeof Os).hostname();
}

/** This host's name as a temp name holds it: read on first need, not at start-up (every command loads this module). */
let host: string | undefined;
const hostTag = (): string =>
  (host ??=
    hostName()
      .replace(/[^A-Za-z0-9.]/g, '_')
      .slice(0, 24) || 'host');

/**
 * The random part of temp names: random per run, counted per file. The name is unique beside
 * its target (this run's pid, or another host or container's name or random part) and the
 * exclusive create refuses any clash; one random draw per run, not per file. Math.random (seeded
 * by V8 from the system's entropy) is enough for that: a guessed name can only make the
 * exclusive create fail, never redirect it, and loading node:crypto for four bytes cost every
 * compile about 5 ms of start-up (OpenSSL's initialisation).
 */
let tempSeed: number | undefined;
let tempCount = 0;

/** What every temp name of this process holds after its target's name. */
let tempTag: string | undefined;

/** A temp file's name beside a target named `name`: `.<name>.stagec-<host>-<pid>-<hex>.tmp`. */
const tempBase = (name: string): string => {
  tempSeed ??= Math.floor(Math.random() * 0x1_0000_0000);
  tempTag ??= `.stagec-${hostTag()}-${process.pid}-`;
  return '.' + name + tempTag + ((tempSeed + tempCount++) >>> 0).toString(16).padStart(8, '0') + '.tmp';
};

const tempName = (absolute: string): string => childOf(parentOf(absolute), tempBase(nameOf(absolute)));

const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Exclusive create, never through a symlink: O_EXCL fails on any existing name, a dangling link
 * included. `created` given: a missing folder is made (one level at a time, remembered there)
 * and the create tried again, so a folder that exists costs no lookup of its own.
 */
function writeTemp(path: string, content: string | Buffer, created?: string[]): void {
  let fd: number;
  try {
    fd = openSync(path, CREATE, 0o644);
  } catch (error) {
    if (!created || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    makeFolders(dirname(path), created);
    fd = openSync(path, CREATE, 0o644);
  }
  try {
    // A string goes straight to write(2) (no Buffer per file); a short write, rare on a regular file, finishes from a Buffer.
    let at = typeof content === 'string' ? writeSync(fd, content) : 0;
    const bytes = typeof content === 'string' ? (at === Buffer.byteLength(content) ? undefined : Buffer.from(content, 'utf8')) : content;
    if (bytes) for (; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
  } finally {
    closeSync(fd);
  }
}

/** The folder must still be the real folder that was checked (no symlink swapped in since). */
function recheckFolder(file: PlannedWrite): string | undefined {
  let real: string;
  try {
    real = realpathSync.native(parentOf(file.absolute));
  } catch (error) {
    return `its folder is gone: ${(error as Error).message}`;
  }
  if (real !== file.realFolder) return `its folder changed while stagec ran: it now resolves to ${real}`;
  return undefined;
}

/**
 * The target (its path, or its name in the pinned folder) must still be a regular file, a symlink
 * (the rename replaces the link itself) or absent.
 */
function recheckTarget(target: string): string | undefined {
  const here = lstatSync(target, { throwIfNoEntry: false });
  if (here && !here.isFile() && !here.isSymbolicLink()) return 'something other than a regular file appeared in its place while stagec ran';
  return undefined;
}

/**
 * Writes planned files all-or-nothing, as far as a file system allows: every content goes to a
 * temp file beside its target first (creating missing folders); renames start only when all
 * temp files are written; each folder is re-checked right before the renames into it; if a rename (or a
 * re-check) fails, the files already renamed get their previous content back (or are removed,
 * if they were new) and the failure says which. Unchanged files are not touched; `stdout`
 * targets are written to `stdout` after every file is in place. Never throws for I/O errors.
 */
export function commitWrites(planned: readonly PlannedWrite[], stdout?: Output): CommitResult {
  if (planned.some((f) => f.refusal)) throw new Error('commitWrites: a refused target was passed'); // a bug, not input
  const files = planned.filter((f) => f.state !== 'unchanged' && f.scope !== 'stdout');
  const createdFolders: string[] = [];
  // Each file's temp file by its index in `files` (its full path, and its name for renames in the pinned folder).
  const temps: (string | undefined)[] = [];
  const tempBases: string[] = [];
  const cleanup = (): void => {
    for (const temp of temps) if (temp !== undefined) rmSync(temp, { force: true });
    for (const folder of createdFolders.reverse()) {
      try {
        rmdirSync(folder);
      } catch {
        // not empty (someone else wrote there) or gone: leave it
      }
    }
  };
  for (let index = 0; index < files.length; index++) {
    const file = files[index]!;
    if (file.content === null) continue; // a removal: moved aside at rename time
    try {
      if (file.staleTemps) removeDeadTemps(file.absolute, file.staleTemps);
      else removeStaleTemps(file.absolute);
      const base = tempBase(nameOf(file.absolute));
      const temp = childOf(parentOf(file.absolute), base);
      temps[index] = temp;
      tempBases[index] = base;
      writeTemp(temp, file.content, createdFolders);
    } catch (error) {
      cleanup();
      return { written: [], failure: { file, message: describe(error), restored: [], unrestored: [] } };
    }
  }
  const renamed: PlannedWrite[] = [];
  const removed = new Map<PlannedWrite, string>();
  // The folder re-checked last: consecutive renames into one folder (a service's Dockerfiles)
  // share its re-check, made right before the first of them. Pinned (folder-pin.ts), the
  // renames then name their files relative to that folder; else by path.
  const pin = (writeHooks.pinFolders ?? ownsProcess()) ? FolderPin.open() : undefined;
  let checked: string | undefined;
  try {
    for (let index = 0; index < files.length; index++) {
      const file = files[index]!;
      let problem: string | undefined;
      try {
        writeHooks.beforeRecheck?.(file, index);
        const folder = parentOf(file.absolute);
        if (folder !== checked) {
          problem = pin ? pin.enter(folder, file.realFolder) : recheckFolder(file);
          checked = problem ? undefined : folder;
        }
        const target = pin ? nameOf(file.absolute) : file.absolute;
        problem ??= recheckTarget(target);
        if (!problem) {
          writeHooks.beforeRename?.(file, index);
          if (file.content === null) {
            // Removed by moving it aside first, so a later failure can move it back.
            const base = tempBase(nameOf(file.absolute));
            const aside = childOf(folder, base);
            renameSync(target, pin ? base : aside);
            removed.set(file, aside);
          } else {
            renameSync(pin ? tempBases[index]! : temps[index]!, target);
            temps[index] = undefined;
          }
          renamed.push(file);
        }
      } catch (error) {
        problem = describe(error);
      }
      if (problem) {
        const { restored, unrestored } = restore(renamed, removed);
        cleanup();
        return { written: [], failure: { file, message: problem, restored, unrestored } };
      }
    }
  } finally {
    pin?.close();
  }
  for (const aside of removed.values()) rmSync(aside, { force: true });
  for (const file of planned) if (file.scope === 'stdout' && file.content !== null) stdout?.write(file.content);
  return { written: files };
}

/** Puts renamed files back: their previous content through a temp file again, removed ones moved back, new ones removed. */
function restore(
  renamed: readonly PlannedWrite[],
  removed: ReadonlyMap<PlannedWrite, string>,
): Pick<CommitFailure, 'restored' | 'unrestored'> {
  const restored: PlannedWrite[] = [];
  const unrestored: CommitFailure['unrestored'] = [];
  for (const file of [...renamed].reverse()) {
    try {
      if (realpathSync.native(dirname(file.absolute)) !== file.realFolder) throw new Error('its folder changed while stagec ran');
      const aside = removed.get(file);
      if (aside !== undefined) renameSync(aside, file.absolute);
      else if (file.previousBytes === undefined) unlinkSync(file.absolute);
      else {
        const temp = tempName(file.absolute);
        try {
          writeTemp(temp, file.previousBytes);
          renameSync(temp, file.absolute);
        } catch (error) {
          rmSync(temp, { force: true });
          throw error;
        }
      }
      restored.push(file);
    } catch (error) {
      unrestored.push({ file, message: describe(error) });
    }
  }
  return { restored, unrestored };
}

/** mkdir one level at a time (never `recursive`, which spins on some virtual file systems), remembering what it made. */
function makeFolders(folder: string, created: string[]): void {
  const missing: string[] = [];
  for (let dir = folder; !lstatSync(dir, { throwIfNoEntry: false }); dir = dirname(dir)) {
    if (dirname(dir) === dir) break;
    missing.unshift(dir);
  }
  for (const dir of missing) {
    try {
      mkdirSync(dir);
      created.push(dir);
    } catch (error) {
      // Another run made it meanwhile: fine, as long as it is a real folder (re-checked before the rename).
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !lstatSync(dir).isDirectory()) throw error;
    }
  }
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    case 'ENOTDIR':
      return 'a parent of it is a file, not a folder';
    case 'EEXIST':
      return 'a file appeared in its place while stagec ran';
    case 'EISDIR':
      return 'a folder is in its place';
    default:
      return e.message ?? String(error);
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
  let entries: string[];
  try {
    entries = readdirSync(dirname(absolute));
  } catch {
    return;
  }
  removeDeadTemps(absolute, entries);
}

/**
 * Of these names in the folder of `absolute` (its listing, or what the write plan found
 * there), removes the temp files a dead run on this host left for it.
 */
function removeDeadTemps(absolute: string, names: readonly string[]): void {
  if (names.length === 0) return;
  const dir = parentOf(absolute);
  const prefix = `.${nameOf(absolute)}.stagec-`;
  for (const entry of names) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const parts = entry.slice(prefix.length, -'.tmp'.length).split('-');
    parts.pop(); // the random part
    const pid = Number(parts.pop());
    if (parts.join('-') === hostTag() && Number.isInteger(pid) && pid !== process.pid && !alive(pid))
      rmSync(join(dir, entry), { force: true });
  }
}
