import { lstatSync, realpathSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import { ownerOf } from './orphans';

export type RemoveRefusal = 'outside' | 'not-a-file' | 'not-ours';

/**
 * Deletes one generated Dockerfile, under the write path's rules (DESIGN §14): the target must
 * be a regular file (a symlink is never followed nor removed), lie inside the workspace once
 * every path component is resolved, and still carry the header naming this config (checked
 * again right before the unlink, so a file replaced since the search is kept).
 */
export function removeGenerated(absolute: string, root: string, configPath: string): RemoveRefusal | undefined {
  const realRoot = realpathSync(root);
  let realDir: string;
  try {
    realDir = realpathSync(dirname(absolute));
  } catch {
    return 'not-a-file';
  }
  if (realDir !== realRoot && !realDir.startsWith(realRoot + sep)) return 'outside';
  const stat = lstatSync(absolute, { throwIfNoEntry: false });
  if (!stat?.isFile()) return 'not-a-file';
  if (ownerOf(absolute, configPath) === undefined) return 'not-ours';
  unlinkSync(absolute);
  // The folder compile made for a misspelt path goes too, if nothing else is in it (rmdir never removes a non-empty one).
  if (realDir !== realRoot) {
    try {
      rmdirSync(dirname(absolute));
    } catch {
      // not empty, or not ours to remove: kept
    }
  }
  return undefined;
}
