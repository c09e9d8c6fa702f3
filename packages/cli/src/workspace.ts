import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { detectWorkspace as detect, type Diagnostic, type Workspace, type WorkspaceFiles } from '@stagec/core';
import { tinyglobby } from './lazy';
import { readRegular } from './read';

/** Manifests are small; a larger one is not a package.json a package manager would read. */
const MANIFEST_MAX = 4 * 1024 * 1024;

/** The file system as workspace detection sees it: the one read path, and a glob that stays out of node_modules and symlinks. */
function workspaceFiles(root: string): WorkspaceFiles {
  return {
    read(path) {
      const read = readRegular(join(root, path), MANIFEST_MAX);
      if (read.ok) return { text: read.bytes.toString('utf8') };
      return read.reason === 'missing' ? { missing: true } : { error: read.detail };
    },
    exists(path) {
      try {
        lstatSync(join(root, path));
        return true;
      } catch {
        return false;
      }
    },
    glob(patterns, ignore) {
      return tinyglobby()
        .globSync([...patterns], {
          cwd: root,
          ignore: [...ignore],
          followSymbolicLinks: false,
          onlyFiles: true,
          expandDirectories: false,
        })
        .sort();
    },
  };
}

/** The workspace at the root (docs/contexts.md), detected at the edge and handed to core as data; problems are warnings. */
export function detectWorkspace(root: string): { workspace?: Workspace; diagnostics: Diagnostic[] } {
  const found = detect(workspaceFiles(root));
  const diagnostics: Diagnostic[] = found.problems.map((p) => ({
    code: 'WORKSPACE_INVALID',
    severity: 'warning',
    message: p.message,
    file: p.file,
    hint: 'contexts are pruned with what could be read',
  }));
  return { ...(found.workspace ? { workspace: found.workspace } : {}), diagnostics };
}
