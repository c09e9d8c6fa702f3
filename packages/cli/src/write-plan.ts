import { realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath, sep } from 'node:path';
import type { YamlPath } from '@stagec/core';
import { FolderListings } from './listing';
import { childOf, nameOf, parentOf } from './paths';
import { FolderCache, NAME_MAX, standing, type Folder, type Standing } from './plan-folders';
import { bytesAreText, readRegularStat } from './read';

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
  // planWrites copies these fields one by one into each PlannedWrite (plan() below): a field added here goes there too.
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
  /** Its exact bytes, for restoring (`previous` is decoded text); not kept for an unchanged file, which is never restored. */
  previousBytes?: Buffer;
  /** Where it really lands: the real path of its nearest existing folder plus the rest. */
  real: string;
  /** The real folder it must still be in right before its rename. */
  realFolder: string;
  /** Names of temp files of earlier runs seen beside it, for the commit to remove if their run is gone; absent: the commit looks itself. */
  staleTemps?: readonly string[];
  refusal?: { reason: RefusalReason; detail: string };
}

export interface PlanContext {
  /** The workspace root (the folder of stages.yaml). */
  root: string;
  /** Files this command reads as input: never a target (unless `replace: 'own'`). */
  inputs: readonly string[];
  /** Cap for reading a file already at a target. */
  maxBytes: number;
  /** Folder listings shared with the other steps of the run (compile's orphan search); else the plan's own. */
  listings?: FolderListings;
}

/** Temp names add this much to a target's name. */
const TEMP_SUFFIX_MAX = 64;

const withSlash = (root: string): string => (root.endsWith(sep) ? root : root + sep);

/**
 * Checks every target before anything is written; reads the ones already there. Pure with
 * respect to the file system: it only looks. A target with `refusal` must not be written, and
 * the caller writes nothing at all when any target is refused.
 */
export function planWrites(requests: readonly WriteRequest[], context: PlanContext): PlannedWrite[] {
  // realpath(3), as the write path's recheck (write.ts) resolves; folders below the root extend
  // this real path one checked component at a time (plan-folders.ts), which is what realpath(3)
  // returns for them, so the plan's and the recheck's paths compare equal.
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
  const folders = new FolderCache(resolvePath(context.root), realRoot, context.listings ?? new FolderListings());
  const check: Check = { realRoot, realRootSlash: withSlash(realRoot), inputIds, inputPaths, maxBytes: context.maxBytes, folders };
  return requests.map((request) => {
    const planned = planOne(request, check);
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

interface Check {
  realRoot: string;
  realRootSlash: string;
  inputIds: Set<string>;
  inputPaths: Set<string>;
  maxBytes: number;
  folders: FolderCache;
}

function realPathOf(path: string): string | undefined {
  try {
    return join(realpathSync.native(dirname(path)), basename(path));
  } catch {
    return undefined;
  }
}

/** How each kind of thing standing at a target is refused. */
const IN_PLACE: Record<Exclude<Standing, 'absent' | 'file'>, [RefusalReason, string]> = {
  symlink: ['symlink', 'it is a symbolic link; stagec writes only regular files'],
  folder: ['folder-in-place', 'a folder is in its place'],
  special: ['special', 'it is not a regular file (a FIFO, device or socket)'],
};

const refused = (
  request: WriteRequest,
  reason: RefusalReason,
  detail: string,
  real = request.absolute,
  realFolder = parentOf(real),
): PlannedWrite => ({
  ...request,
  state: 'new',
  real,
  realFolder,
  refusal: { reason, detail },
});

const NO_TEMPS: readonly string[] = Object.freeze([]);

/**
 * A target that may be written: the request's fields and the plan's, as one literal of one
 * shape (a spread copies field by field and changes the object's shape once per added field:
 * most of a plan's own time over thousands of files).
 */
const plan = (
  request: WriteRequest,
  state: FileState,
  real: string,
  realFolder: string,
  staleTemps: readonly string[] | undefined,
  previous?: string,
  previousBytes?: Buffer,
): PlannedWrite => ({
  display: request.display,
  absolute: request.absolute,
  content: request.content,
  origin: request.origin,
  scope: request.scope,
  replace: request.replace,
  isGenerated: request.isGenerated,
  service: request.service,
  state,
  previous,
  previousBytes,
  real,
  realFolder,
  staleTemps,
  refusal: undefined,
});

/** Names of temp files a killed run left beside a target, for the commit to clear (write.ts); undefined: the commit looks itself. */
function staleTempsOf(folder: Folder, name: string): readonly string[] | undefined {
  if (!folder.listing) return undefined;
  if (folder.temps.length === 0) return NO_TEMPS;
  const prefix = `.${name}.stagec-`;
  return folder.temps.filter((t) => t.startsWith(prefix));
}

function planOne(request: WriteRequest, check: Check): PlannedWrite {
  if (request.scope === 'stdout') return { ...request, state: 'new', real: '-', realFolder: '-' };
  const folder = check.folders.folder(parentOf(request.absolute));
  const name = nameOf(request.absolute);
  const long =
    folder.long ??
    (name.length * 3 + TEMP_SUFFIX_MAX > NAME_MAX && Buffer.byteLength(name) + TEMP_SUFFIX_MAX > NAME_MAX ? name : undefined);
  if (long !== undefined)
    return refused(
      request,
      'name-too-long',
      `the name "${long.slice(0, 40)}..." is longer than file systems allow (${NAME_MAX} bytes, less room for the temp file)`,
    );

  const { resolved, missing, existing } = folder;
  if (resolved instanceof Error) return refused(request, 'unreadable', `cannot resolve ${existing}: ${resolved.message}`);
  const realFolder = missing.length ? join(resolved.real, ...missing) : resolved.real;
  const real = childOf(realFolder, name);
  if (request.scope === 'workspace' && real !== check.realRoot && !real.startsWith(check.realRootSlash))
    return refused(request, 'outside', 'a symbolic link leads it outside the workspace', real, realFolder);
  if (check.inputPaths.has(real) && request.replace !== 'own')
    return refused(request, 'input', 'it is a file this command reads as input', real, realFolder);
  if (!resolved.isDirectory)
    return refused(
      request,
      'file-as-parent',
      `${missing.length ? 'a parent of it' : 'its folder'} is a file, not a folder`,
      real,
      realFolder,
    );
  if (request.scope === 'anywhere' && missing.length)
    return refused(request, 'no-folder', `the folder ${join(existing, missing[0]!)} does not exist`, real, realFolder);
  const absentState = request.content === null ? 'unchanged' : 'new';
  // In a folder still to be made, nothing stands and no temp file can be left.
  if (missing.length) return plan(request, absentState, real, realFolder, NO_TEMPS);

  // No read of a file the listing shows absent; what the listing calls a file is opened without
  // following a symlink and checked again on the descriptor, so a swap since the listing is caught.
  const here = standing(folder, name, request.absolute);
  if (here !== 'file' && here !== 'absent') return refused(request, ...IN_PLACE[here], real, realFolder);
  const read = here === 'file' ? readRegularStat(request.absolute, check.maxBytes) : undefined;
  if (!read || (!read.ok && read.reason === 'missing')) {
    // Absent (or gone since the listing: absent now).
    return plan(request, absentState, real, realFolder, request.content === null ? undefined : staleTempsOf(folder, name));
  }
  if (!read.ok) {
    if (read.reason === 'symlink' || read.reason === 'folder' || read.reason === 'special')
      return refused(request, ...IN_PLACE[read.reason], real, realFolder);
    return refused(request, read.reason === 'too-large' ? 'too-large' : 'unreadable', read.detail, real, realFolder);
  }
  if (check.inputIds.has(fileId(read.stat)) && request.replace !== 'own')
    return refused(request, 'input', 'it is a file this command reads as input', real, realFolder);
  const previousBytes = read.bytes;
  // Unchanged: `previous` is the request's own string (what the bytes decode to), and no bytes
  // are kept, since an unchanged file is never renamed or restored; a run over thousands of
  // unchanged files otherwise holds each one twice until it ends. The bytes are compared with
  // the content's encoding, not decoded (read.ts).
  if (request.content !== null && bytesAreText(previousBytes, request.content))
    return plan(request, 'unchanged', real, realFolder, undefined, request.content);
  const previous = previousBytes.toString('utf8');
  const generated = request.isGenerated(previous);
  const staleTemps = request.content === null ? undefined : staleTempsOf(folder, name);
  const planned = plan(request, generated ? 'stale' : 'hand-written', real, realFolder, staleTemps, previous, previousBytes);
  if (!generated && request.replace === 'generated')
    planned.refusal = { reason: 'hand-written', detail: 'it exists and was not written by stagec' };
  return planned;
}
