import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { YamlPath } from '@stagec/core';
import { readRegular } from './read';

/** What named a target: a stages.yaml value (refusals point at it) or a command-line flag. */
type Origin = { yaml: YamlPath } | { flag: string };

/**
 * One file a command wants to write. `scope`: 'workspace' for targets stages.yaml names (they
 * must stay inside the workspace once every existing path component is resolved), 'anywhere'
 * for a path the user typed (`bake -o`), 'stdout' for `-o -`. `replace`: which existing file
 * may be replaced: 'generated' only one carrying stagec's header, 'force' also a hand-written
 * one (compile --force), 'own' any regular file (the file whose job it is to rewrite, e.g.
 * stages.lock for `lock`).
 */
export interface WriteRequest {
  /** How messages name it: workspace-relative, or as the user typed it. */
  display: string;
  absolute: string;
  /** The new content; null removes the file (e.g. `compile --prune`), with the same checks and the same all-or-nothing commit. */
  content: string | null;
  origin: Origin;
  scope: 'workspace' | 'anywhere' | 'stdout';
  replace: 'generated' | 'force' | 'own';
  /** Recognizes stagec's generated header in the file already there. */
  isGenerated: (text: string) => boolean;
  /** The service it belongs to, for messages. */
  service?: string;
}

type FileState = 'unchanged' | 'new' | 'stale' | 'hand-written';

export type RefusalReason =
  | 'outside' // a symlink leads it out of the workspace
  | 'symlink' // the target itself is a symlink
  | 'special' // a FIFO, device or socket stands there
  | 'folder-in-place'
  | 'file-as-parent'
  | 'no-folder' // a user-given target's folder does not exist
  | 'name-too-long'
  | 'input' // a file this command reads as input
  | 'same-file' // another target of this run is the same file (a symlink alias)
  | 'hand-written'
  | 'too-large'
  | 'unreadable';

export interface PlannedWrite extends WriteRequest {
  state: FileState;
  /** The content there now (for --check diffs and for restoring after a failed rename). */
  previous?: string;
  /** Its exact bytes, for restoring (`previous` is decoded text). */
  previousBytes?: Buffer;
  /** Where it really lands: the real path of its nearest existing folder plus the rest. */
  real: string;
  /** The real folder it must still be in right before its rename. */
  realFolder: string;
  refusal?: { reason: RefusalReason; detail: string };
}

export interface PlanContext {
  /** The workspace root (the folder of stages.yaml). */
  root: string;
  /** Files this command reads as input: never a target (unless `replace: 'own'`). */
  inputs: readonly string[];
  /** Cap for reading a file already at a target. */
  maxBytes: number;
}

/** The longest file name most file systems take; temp names add this much to a target's. */
const NAME_MAX = 255;
const TEMP_SUFFIX_MAX = 64;

const lstat = (path: string): Stats | undefined => {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
};

const inside = (real: string, root: string): boolean => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * Checks every target before anything is written; reads the ones already there. Pure with
 * respect to the file system: it only looks. A target with `refusal` must not be written, and
 * the caller writes nothing at all when any target is refused.
 */
export function planWrites(requests: readonly WriteRequest[], context: PlanContext): PlannedWrite[] {
  // realpath(3) in one call, not Node's JavaScript walk that lstats every component; the write
  // path's recheck (write.ts) resolves the same way, so the two compare equal.
  const realRoot = realpathSync.native(context.root);
  const inputIds = new Set(
    context.inputs
      .map((p) => statSync(p, { throwIfNoEntry: false }))
      .filter((s) => s !== undefined)
      .map(fileId),
  );
  // By path too: an input that does not exist yet (stages.lock before `stagec lock`) is still
  // never a target, or a Dockerfile written there would be read back as the lock.
  const inputPaths = new Set(context.inputs.map(realPathOf).filter((p) => p !== undefined));
  const byReal = new Map<string, PlannedWrite>();
  const folders = new FolderCache();
  return requests.map((request) => {
    const planned = planOne(request, realRoot, inputIds, inputPaths, context.maxBytes, folders);
    if (!planned.refusal && request.scope !== 'stdout') {
      const other = byReal.get(planned.real);
      if (other)
        planned.refusal = {
          reason: 'same-file',
          detail: `it is the same file as ${other.display}${other.service ? ` (service "${other.service}")` : ''}`,
        };
      else byReal.set(planned.real, planned);
    }
    return planned;
  });
}

const fileId = (s: Stats): string => `${s.dev}:${s.ino}`;

/**
 * Folder lookups of one plan, made once per folder: targets share their folders and parents
 * (two Dockerfiles in a folder, a thousand under services/), and a plan only looks, so within
 * it a folder's answer does not change. Each file's own lstat is never cached.
 */
class FolderCache {
  private readonly stats = new Map<string, Stats | undefined>();
  private readonly reals = new Map<string, { real: string; isDirectory: boolean } | Error>();

  lstat(path: string): Stats | undefined {
    if (!this.stats.has(path)) this.stats.set(path, lstat(path));
    return this.stats.get(path);
  }

  real(folder: string): { real: string; isDirectory: boolean } | Error {
    let found = this.reals.get(folder);
    if (!found) {
      try {
        const real = realpathSync.native(folder);
        found = { real, isDirectory: statSync(real).isDirectory() };
      } catch (error) {
        found = error as Error;
      }
      this.reals.set(folder, found);
    }
    return found;
  }
}

function realPathOf(path: string): string | undefined {
  try {
    return join(realpathSync.native(dirname(path)), basename(path));
  } catch {
    return undefined;
  }
}

function planOne(
  request: WriteRequest,
  realRoot: string,
  inputIds: Set<string>,
  inputPaths: Set<string>,
  maxBytes: number,
  folders: FolderCache,
): PlannedWrite {
  if (request.scope === 'stdout') return { ...request, state: 'new', real: '-', realFolder: '-' };
  const refuse = (reason: RefusalReason, detail: string, real = request.absolute, realFolder = dirname(real)): PlannedWrite => ({
    ...request,
    state: 'new',
    real,
    realFolder,
    refusal: { reason, detail },
  });
  const long = request.absolute
    .split(sep)
    .find((part, i, all) => Buffer.byteLength(part) + (i === all.length - 1 ? TEMP_SUFFIX_MAX : 0) > NAME_MAX);
  if (long !== undefined)
    return refuse(
      'name-too-long',
      `the name "${long.slice(0, 40)}..." is longer than file systems allow (${NAME_MAX} bytes, less room for the temp file)`,
    );

  // The nearest folder that exists, and the components still to be created below it.
  let folder = dirname(request.absolute);
  const missing: string[] = [];
  let found = folders.lstat(folder);
  while (!found && dirname(folder) !== folder) {
    missing.unshift(basename(folder));
    folder = dirname(folder);
    found = folders.lstat(folder);
  }
  const resolved = folders.real(folder);
  if (resolved instanceof Error) return refuse('unreadable', `cannot resolve ${folder}: ${resolved.message}`);
  const realExisting = resolved.real;
  const realFolder = join(realExisting, ...missing);
  const real = join(realFolder, basename(request.absolute));
  if (request.scope === 'workspace' && !inside(real, realRoot))
    return refuse('outside', 'a symbolic link leads it outside the workspace', real, realFolder);
  if (inputPaths.has(real) && request.replace !== 'own')
    return refuse('input', 'it is a file this command reads as input', real, realFolder);
  if (!resolved.isDirectory)
    return refuse('file-as-parent', `${missing.length ? 'a parent of it' : 'its folder'} is a file, not a folder`, real, realFolder);
  if (request.scope === 'anywhere' && missing.length)
    return refuse('no-folder', `the folder ${join(folder, missing[0]!)} does not exist`, real, realFolder);
  if (missing.length) return { ...request, state: request.content === null ? 'unchanged' : 'new', real, realFolder };

  const here = lstat(request.absolute);
  if (!here) return { ...request, state: request.content === null ? 'unchanged' : 'new', real, realFolder };
  if (here.isSymbolicLink()) return refuse('symlink', 'it is a symbolic link; stagec writes only regular files', real, realFolder);
  if (here.isDirectory()) return refuse('folder-in-place', 'a folder is in its place', real, realFolder);
  if (!here.isFile()) return refuse('special', 'it is not a regular file (a FIFO, device or socket)', real, realFolder);
  if (inputIds.has(fileId(here)) && request.replace !== 'own')
    return refuse('input', 'it is a file this command reads as input', real, realFolder);
  const read = readRegular(request.absolute, maxBytes);
  if (!read.ok) return refuse(read.reason === 'too-large' ? 'too-large' : 'unreadable', read.detail, real, realFolder);
  const previous = read.bytes.toString('utf8');
  const previousBytes = read.bytes;
  if (previous === request.content) return { ...request, state: 'unchanged', previous, previousBytes, real, realFolder };
  const generated = request.isGenerated(previous);
  const planned: PlannedWrite = { ...request, state: generated ? 'stale' : 'hand-written', previous, previousBytes, real, realFolder };
  if (!generated && request.replace === 'generated')
    planned.refusal = { reason: 'hand-written', detail: 'it exists and was not written by stagec' };
  return planned;
}
