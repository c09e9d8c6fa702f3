import { readdirSync, statSync, type Dirent } from 'node:fs';
import { posixJoin, posixNameOf, posixParentOf } from './paths';

/** One folder's entries, read once: sorted by name for walks, by name for lookups. */
export interface Listing {
  /** Sorted by name (code unit order), so walks are deterministic. */
  readonly entries: readonly Dirent[];
  /** The entry with this name, if the folder held one when it was read. */
  get(name: string): Dirent | undefined;
  /**
   * True when no lookup of `name` can find anything in the folder as it was read: the listing
   * lacks it and no entry could be the same name to a file system that matches names loosely.
   * False means "ask lstat" (the listing shows it, or might under another spelling).
   */
  absent(name: string): boolean;
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
  let ascii: boolean | undefined;
  let loose: Set<string> | undefined;
  const get = (name: string): Dirent | undefined => {
    // Most target folders hold a handful of entries: a scan beats building a map.
    if (entries.length <= 16) {
      for (const entry of entries) if (entry.name === name) return entry;
      return undefined;
    }
    byName ??= new Map(entries.map((e) => [e.name, e]));
    return byName.get(name);
  };
  return {
    entries,
    get,
    absent(name) {
      if (!LOOSE_SAFE || !PLAIN_NAME.test(name) || get(name)) return false;
      ascii ??= entries.every((e) => ASCII.test(e.name));
      if (!ascii) return false;
      if (entries.length <= 16) {
        for (const entry of entries) if (looseEqual(entry.name, name)) return false;
        return true;
      }
      loose ??= new Set(entries.map((e) => looseKey(e.name)));
      return !loose.has(looseKey(name));
    },
  };
}

// A lookup can find a name its folder's listing lacks only where the file system matches names
// loosely: case-insensitive ones (APFS and HFS+ by default, vfat, exFAT, SMB shares, ext4's
// casefold folders) find `Dockerfile` as `dockerfile`, normalization-insensitive ones (APFS,
// HFS+) match composed and decomposed forms and ignore some code points, vfat also strips
// trailing dots and spaces and finds 8.3 aliases (`DOCKER~1`), and Windows finds device names
// (`NUL`) in every folder. So a listing proves a name absent only on a POSIX system, for a
// plain ASCII name (no `~`, no trailing dot), in a folder whose entries are all ASCII (non-ASCII
// names such as the Kelvin sign can fold or normalize to ASCII) and none of which equals the
// name ignoring ASCII case and trailing dots and spaces. Anything else is asked with lstat.
// (An autofs folder that mounts names on lookup refuses the temp file's create: nothing is written.)
const LOOSE_SAFE = process.platform !== 'win32';
const PLAIN_NAME = /^[A-Za-z0-9._+@,=-]*[A-Za-z0-9_+@,=-]$/;
const ASCII = /^[\x00-\x7f]*$/;
const looseKey = (name: string): string => name.toLowerCase().replace(/[. ]+$/, '');

/**
 * looseKey(entry) === looseKey(name) for an ASCII entry and a PLAIN_NAME (which ends in neither
 * a dot nor a space), without building either key: the entry is the name, ignoring ASCII case,
 * followed by nothing but dots and spaces.
 */
function looseEqual(entry: string, name: string): boolean {
  if (entry.length < name.length) return false;
  for (let i = 0; i < name.length; i++) {
    const a = entry.charCodeAt(i);
    const b = name.charCodeAt(i);
    if (a !== b && lower(a) !== lower(b)) return false;
  }
  for (let i = name.length; i < entry.length; i++) {
    const c = entry.charCodeAt(i);
    if (c !== 0x2e && c !== 0x20) return false;
  }
  return true;
}

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

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
