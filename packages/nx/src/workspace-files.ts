import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import { detectWorkspace, type Workspace, type WorkspaceFiles } from '@stagec/core';

const MANIFEST_MAX = 4 * 1024 * 1024;

/** A workspace manifest, read as the CLI reads files: regular, not through a symlink, bounded. */
function readBounded(path: string): { text: string } | { missing: true } | { error: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : { error: (error as Error).message };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { error: 'it is not a regular file' };
    if (stat.size > MANIFEST_MAX) return { error: `it has ${stat.size} bytes` };
    const buffer = Buffer.allocUnsafe(Math.min(MANIFEST_MAX + 1, stat.size + 1));
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return length > MANIFEST_MAX ? { error: 'it is too large' } : { text: buffer.subarray(0, length).toString('utf8') };
  } catch (error) {
    return { error: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

/** The workspace (DESIGN 15) at the folder of stages.yaml, as the CLI detects it: the context sets, and so the inputs, follow it. */
export function detectAt(root: string): Workspace | undefined {
  const files: WorkspaceFiles = {
    read: (path) => readBounded(join(root, path)),
    exists: (path) => {
      try {
        lstatSync(join(root, path));
        return true;
      } catch {
        return false;
      }
    },
    glob: (patterns, ignore) => globSync([...patterns], { cwd: root, ignore: [...ignore], followSymbolicLinks: false, onlyFiles: true, expandDirectories: false }).sort(),
  };
  return detectWorkspace(files).workspace;
}
