import { readdirSync, statSync, type Dirent } from 'node:fs';
import { posixJoin, posixNameOf, posixParentOf } from './paths';

/** One folder's entries, read once: sorted by name for walks, by name for lookups. */
export interface Listing {
  /** Sorted by name (code unit order), so walks are deterministic. */
  readonly entries: readonly Dirent[];
  /** The entry with this name, if the folder held one when it was read. */
  get(name: string): Dirent | undefined;
}

/**
 * The folder listings of one command run, each folder read once. compile asks about the same
 * folders three times (MISSING_FOLDER looks in the services' parents, the write plan in each
 * target's folder, the orphan search walks them all), and one readdir answers all three. A
 * listing is a snapshot, as an lstat is; nothing is kept past the run. Keys are absolute,
 * normalized paths.
 */
export class FolderListings {
  private readonly listings = new Map<string, Listing | null>();

  /** The listing of `folder` if the run has read it already (null: it could not be read), else undefined; never reads. */
  peek(folder: string): Listing | null | undefined {
    return this.listings.get(folder);
  }

  /** The entries of `folder`, or null when it cannot be read (missing, not a folder, no permission). */
  list(folder: string): Listing | null {
    let listing = this.listings.get(folder);
    if (listing === undefined) {
      listing = read(folder);
      this.listings.set(folder, listing);
    }
    return listing;
  }
}

function read(folder: string): Listing | null {
  let entries: Dirent[];
  try {
    // withFileTypes: the type comes from the listing (d_type), so no lstat per entry; Node
    // lstats the rare file system that does not report it.
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return null;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let byName: Map<string, Dirent> | undefined;
  return {
    entries,
    get(name) {
      // Most target folders hold a handful of entries: a scan beats building a map.
      if (entries.length <= 16) return entries.find((e) => e.name === name);
      byName ??= new Map(entries.map((e) => [e.name, e]));
      return byName.get(name);
    },
  };
}

/**
 * Whether `path` (relative to `root`, `/`-separated, normalized) is a folder, as stat (which
 * follows symlinks) says, answered from its parent's listing: services share parents (apps/*),
 * so one readdir answers for all of them. A symlink, a name the listing does not show, or a
 * parent that cannot be listed is asked with stat itself.
 */
export function isFolder(listings: FolderListings, root: string, path: string): boolean {
  const listing = path === '.' ? null : listings.list(posixJoin(root, posixParentOf(path)));
  // Only what the listing shows is taken from it: a name it lacks may still be found (a
  // case-insensitive file system finds `Apps` as `apps`), so that is asked with stat.
  const entry = listing?.get(posixNameOf(path));
  if (entry && !entry.isSymbolicLink()) return entry.isDirectory();
  try {
    return statSync(posixJoin(root, path), { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false; // ENOTDIR (a parent is a file), ELOOP, EACCES: not a folder it can use
  }
}
