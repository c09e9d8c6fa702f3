import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { sep } from 'node:path';
import type { FolderListings, Listing } from './listing';
import { childOf, nameOf, parentOf } from './paths';

/** No stale temp files: shared by every folder that has none (frozen: nothing may add to it). */
const NONE: readonly string[] = Object.freeze([]);

/** The longest file name most file systems take. */
export const NAME_MAX = 255;

const lstat = (path: string): Stats | undefined => {
  try {
    return lstatSync(path, { throwIfNoEntry: false }); // absent: no exception to build
  } catch {
    return undefined; // ENAMETOOLONG, EACCES, ELOOP: as good as absent here; what follows reports it
  }
};

/** An lstat, or a folder listing's entry for the same name: what kind of thing stands there, links not followed. */
type Entry = Pick<Stats, 'isDirectory' | 'isSymbolicLink'>;

/** What a plan knows about one target folder; targets share folders, so it is worked out once per folder. */
export interface Folder {
  /** A component of the folder's path longer than file systems allow. */
  long?: string;
  /** The nearest folder that exists (the folder itself, or an ancestor) and the components still to be created below it. */
  existing: string;
  missing: string[];
  resolved: { real: string; isDirectory: boolean } | Error;
  /** Its entries, when it exists and can be listed: a name among them needs no lstat of its own. */
  listing: Listing | null;
  /** Its entries that look like stagec temp files (`.<name>.stagec-....tmp`): usually none. */
  temps: readonly string[];
}

/**
 * Folder lookups of one plan, made once per folder: targets share their folders and parents
 * (two Dockerfiles in a folder, a thousand under services/), and a plan only looks, so within
 * it a folder's answer does not change.
 */
export class FolderCache {
  private readonly stats = new Map<string, { entry: Entry | undefined; listed: boolean }>();
  private readonly reals = new Map<string, Folder['resolved']>();
  private readonly folders = new Map<string, Folder>();
  private readonly rootSlash: string;

  constructor(
    private readonly root: string,
    realRoot: string,
    private readonly listings: FolderListings,
  ) {
    this.reals.set(root, { real: realRoot, isDirectory: true });
    this.rootSlash = root.endsWith(sep) ? root : root + sep;
  }

  folder(path: string): Folder {
    let found = this.folders.get(path);
    if (!found) {
      found = this.look(path);
      this.folders.set(path, found);
    }
    return found;
  }

  /**
   * What stands at `path`: from its parent's listing, else lstat. `listed`: the name is spelt
   * as on disk (an lstat also finds `Apps` as `apps` on a case-insensitive file system). A
   * parent inside the workspace reached without a symlink is listed for this (siblings share
   * the listing, and compile's orphan walk reads it anyway); any other parent only when the
   * run has read it already.
   */
  private lookup(path: string): { entry: Entry | undefined; listed: boolean } {
    let found = this.stats.get(path);
    if (!found) {
      const parent = parentOf(path);
      const listing = parent === path ? undefined : this.listable(parent) ? this.listings.list(parent) : this.listings.peek(parent);
      const name = nameOf(path);
      const entry = listing?.get(name);
      // See standing(): a listing's silence is proof only where absent() says so.
      found = entry
        ? { entry, listed: true }
        : listing?.absent(name)
          ? { entry: undefined, listed: true }
          : { entry: lstat(path), listed: false };
      this.stats.set(path, found);
    }
    return found;
  }

  /** The root, or a folder below it that its parent's listing shows as a folder (not a symlink). */
  private listable(path: string): boolean {
    if (path === this.root) return true;
    if (!path.startsWith(this.rootSlash)) return false;
    const { entry, listed } = this.lookup(path);
    return listed && entry !== undefined && entry.isDirectory();
  }

  /**
   * The real path of an existing folder. Below the root, a folder (not a symlink) that its
   * parent's listing shows, spelt as on disk, resolves to its parent's real path plus its
   * name, which is what realpath(3) returns for it, so the folders of a plan share one walk;
   * anything else is resolved by realpath(3) itself.
   */
  private resolve(path: string): Folder['resolved'] {
    let found = this.reals.get(path);
    if (found) return found;
    const { entry, listed } = this.lookup(path);
    const parent = parentOf(path);
    if (listed && entry?.isDirectory() && (parent === this.root || parent.startsWith(this.rootSlash))) {
      const above = this.resolve(parent);
      found = above instanceof Error ? above : { real: childOf(above.real, nameOf(path)), isDirectory: true };
    } else {
      try {
        const real = realpathSync.native(path);
        found = { real, isDirectory: statSync(real).isDirectory() };
      } catch (error) {
        found = error as Error;
      }
    }
    this.reals.set(path, found);
    return found;
  }

  private look(path: string): Folder {
    // A UTF-16 unit is at most 3 bytes of UTF-8: a path this short has no component too long to look for.
    const long = path.length * 3 <= NAME_MAX ? undefined : path.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX);
    if (long !== undefined) return { long, existing: path, missing: [], resolved: new Error('name too long'), listing: null, temps: NONE };
    let existing = path;
    const missing: string[] = [];
    while (!this.lookup(existing).entry && parentOf(existing) !== existing) {
      missing.unshift(nameOf(existing));
      existing = parentOf(existing);
    }
    const resolved = this.resolve(existing);
    const listing = missing.length === 0 && !(resolved instanceof Error) && resolved.isDirectory ? this.listings.list(path) : null;
    // Usually none: one shared empty list rather than two arrays per folder.
    let temps: string[] | undefined;
    if (listing) for (const { name } of listing.entries) if (name.endsWith('.tmp') && name.includes('.stagec-')) (temps ??= []).push(name);
    return { existing, missing, resolved, listing, temps: temps ?? NONE };
  }
}

/** What stands at a target: from its folder's listing when there is one, else from an lstat of its own. */
export type Standing = 'absent' | 'file' | 'symlink' | 'folder' | 'special';

export function standing(folder: Folder, name: string, absolute: string): Standing {
  // A listing answers for what it shows, and for a name it lacks where absent() proves no
  // lookup can find it (listing.ts: a case-insensitive file system finds `Dockerfile` as
  // `dockerfile`); anything else is asked with lstat. What the listing calls absent may appear
  // before the commit: the commit's lstat right before each rename re-checks every target.
  const listing = folder.listing;
  const entry = listing?.get(name) ?? (listing?.absent(name) ? undefined : lstat(absolute));
  if (!entry) return 'absent';
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'folder';
  return entry.isFile() ? 'file' : 'special';
}
