import { posix } from 'node:path';
import { closest, type CompileResult, type Diagnostic } from '@stagec/core';
import type { ConfigFile } from './config';
import { FolderListings, isFolder } from './listing';
import { posixNormal } from './paths';

/**
 * MISSING_FOLDER: a service whose `path` does not exist yet. compile would create it, which is
 * how a misspelt path silently starts a second folder; the hint names the nearest existing
 * sibling folder (`apps/api` for `apps/aip`). `listings`: shared with the rest of the run
 * (compile's write plan and orphan search read the same folders).
 */
export function missingFolders(config: ConfigFile, result: CompileResult, listings = new FolderListings()): Diagnostic[] {
  const out: Diagnostic[] = [];
  const root = config.root;
  const isDir = (path: string): boolean => isFolder(listings, root, path);
  // Sibling folders of a missing one, for the suggestion (hidden ones and node_modules are never meant).
  const foldersIn = (parent: string): string[] =>
    (listings.list(posix.join(root, parent))?.entries ?? [])
      .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
      .map((e) => e.name);
  for (const service of result.project?.services ?? []) {
    const path = posixNormal(service.path);
    if (path.startsWith('..') || isDir(path)) continue;
    // The nearest existing ancestor, and the folder name that is missing below it.
    let parent = posix.dirname(path);
    let missing = posix.basename(path);
    while (parent !== '.' && !isDir(parent)) {
      missing = posix.basename(parent);
      parent = posix.dirname(parent);
    }
    const near = closest(missing, foldersIn(parent));
    const suggestion = near === undefined ? undefined : posix.join(parent, near, posix.relative(posix.join(parent, missing), path));
    out.push({
      code: 'MISSING_FOLDER',
      severity: 'warning',
      message: `the folder ${path} of service "${service.name}" does not exist; compile would create it`,
      file: config.display,
      ...result.source.position(['services', service.name, 'path']),
      hint: suggestion ? `did you mean "${suggestion}"?` : "create the folder with the service's sources, or fix the path",
    });
  }
  return out;
}
