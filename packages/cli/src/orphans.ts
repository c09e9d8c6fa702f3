import { closeSync, lstatSync, openSync, readSync, realpathSync, rmdirSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { parseGeneratedHeader } from '@stagec/core';
import { FolderListings } from './listing';
import { absoluteOf, nameOf } from './paths';
import type { WriteRequest } from './write';

/** Folders never searched: dependencies and VCS data hold no Dockerfile of ours. */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.nx']);

/** `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, any case. */
const DOCKERFILE_NAME = /(^|\.)dockerfile($|\.)/i;

/** At most this many folder entries are looked at; past it the search stops and says so. */
const SEARCH_CAP = 100_000;

export interface Orphan {
  /** Workspace-relative path, `/`-separated. */
  path: string;
  absolute: string;
  /** The service its header names (no longer in stages.yaml, or now writing elsewhere). */
  service: string;
}

export interface OrphanSearch {
  orphans: Orphan[];
  /** True when the cap stopped the walk: some orphans may be missed. */
  truncated: boolean;
}

/**
 * Whether a file is a generated Dockerfile of the config at `configPath`: a regular file (not a
 * symlink) whose header names, relative to the file's folder, exactly that config. Fixtures
 * carrying a header for some other stages.yaml never match. Reads only the first 1 KiB.
 */
function ownerOf(absolute: string, configPath: string): string | undefined {
  let fd: number | undefined;
  try {
    if (!lstatSync(absolute).isFile()) return undefined;
    fd = openSync(absolute, 'r');
    const buffer = Buffer.alloc(1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const header = parseGeneratedHeader(buffer.subarray(0, n).toString('utf8'));
    if (!header) return undefined;
    return samePath(resolve(dirname(absolute), header.config), configPath) ? header.service : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const samePath = (a: string, b: string): boolean => {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * Generated Dockerfiles of this config that no service writes any more. The folders of removed
 * services are unknown, so the workspace (the folder of stages.yaml) is walked, without
 * following symlinks and skipping node_modules and VCS folders, up to SEARCH_CAP entries. Only
 * files named like Dockerfiles are opened: `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, or the
 * file name of any current service's Dockerfile. `listings`: shared with the write plan, which
 * reads the targets' folders too.
 */
export function findOrphans(root: string, configPath: string, owned: readonly string[], listings = new FolderListings()): OrphanSearch {
  const ownedSet = new Set(owned.map(absoluteOf));
  const names = new Set(owned.map(nameOf));
  const candidate = (name: string): boolean => names.has(name) || DOCKERFILE_NAME.test(name);
  const orphans: Orphan[] = [];
  let seen = 0;
  let truncated = false;
  const walk = (dir: string): void => {
    const listing = listings.list(dir);
    if (!listing) return;
    // dir is normalized and a listed name holds no separator: joined by hand, not path.join's normalize per entry.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const entry of listing.entries) {
      if (truncated) return;
      if (++seen > SEARCH_CAP) {
        truncated = true;
        return;
      }
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) walk(prefix + entry.name);
      } else if (entry.isFile() && candidate(entry.name) && !ownedSet.has(prefix + entry.name)) {
        const absolute = prefix + entry.name;
        const service = ownerOf(absolute, configPath);
        if (service !== undefined) orphans.push({ path: relative(root, absolute).split(sep).join('/'), absolute, service });
      }
    }
  };
  walk(resolve(root));
  return { orphans, truncated };
}

/**
 * Removal requests for the write path (content null): the same checks as any write (inside the
 * workspace, a regular file, never through a symlink), and the file must still name this config
 * when it is planned.
 */
export function orphanRequests(orphans: readonly Orphan[], configPath: string): WriteRequest[] {
  return orphans.map((o) => ({
    display: o.path,
    absolute: o.absolute,
    content: null,
    origin: { flag: '--prune' },
    scope: 'workspace',
    replace: 'generated',
    isGenerated: (text: string) => {
      const header = parseGeneratedHeader(text);
      return header !== undefined && samePath(resolve(dirname(o.absolute), header.config), configPath);
    },
    service: o.service,
  }));
}

/** The folder compile made for a misspelt path goes too once pruning empties it (rmdir never removes a non-empty one). */
export function removeEmptyFolder(absolute: string, root: string): void {
  const folder = dirname(absolute);
  if (resolve(folder) === resolve(root)) return;
  try {
    rmdirSync(folder);
  } catch {
    // not empty, or not ours to remove: kept
  }
}
