import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import { DEFAULT_INCLUDE, describeWorkspace, LOCKFILES, workspaceGlobs, type Diagnostic, type Workspace } from '@stagec/core';
import { readRegular } from './read';

/** Manifests are small; a larger one is not a package.json a package manager would read. */
const MANIFEST_MAX = 4 * 1024 * 1024;

const warn = (message: string, file: string): Diagnostic => ({ code: 'WORKSPACE_INVALID', severity: 'warning', message, file, line: 0, column: 0, endLine: 0, endColumn: 0, hint: 'contexts are pruned with what could be read' });

const present = (root: string, entry: string): boolean => {
  try {
    lstatSync(join(root, entry));
    return true;
  } catch {
    return false;
  }
};

/** A root file through the one read path; missing is undefined, anything else unreadable is a warning. */
function readText(root: string, file: string, diagnostics: Diagnostic[]): string | undefined {
  const read = readRegular(join(root, file), MANIFEST_MAX);
  if (read.ok) return read.bytes.toString('utf8');
  if (read.reason !== 'missing') diagnostics.push(warn(`cannot read ${file}: ${read.detail}`, file));
  return undefined;
}

/**
 * The JavaScript workspace at the root (DESIGN 15), read at the edge and handed to core as data:
 * pnpm-workspace.yaml's or package.json's globs, each matched folder's package.json (never
 * through node_modules or a symbolic link), the lockfile and the shared root files present.
 * Undefined when the root is no workspace.
 */
export function detectWorkspace(root: string): { workspace?: Workspace; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const manifest = readText(root, 'package.json', diagnostics);
  const pnpm = readText(root, 'pnpm-workspace.yaml', diagnostics);
  const globs = workspaceGlobs(manifest, pnpm);
  if (!globs.ok) return { diagnostics: [...diagnostics, warn(globs.message, pnpm !== undefined ? 'pnpm-workspace.yaml' : 'package.json')] };
  if (!globs.value) return { diagnostics };
  const lockfile = LOCKFILES.find((f) => present(root, f));
  const manager = pnpm !== undefined || lockfile === 'pnpm-lock.yaml' ? 'pnpm' : lockfile === 'yarn.lock' || present(root, '.yarnrc.yml') ? 'yarn' : 'npm';
  const positive = globs.value.filter((g) => !g.startsWith('!'));
  const negative = globs.value.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const found = positive.length
    ? globSync(
        positive.map((g) => `${g.replace(/\/+$/, '')}/package.json`),
        { cwd: root, ignore: ['**/node_modules/**', ...negative], followSymbolicLinks: false, onlyFiles: true, dot: false, expandDirectories: false },
      )
    : [];
  const manifests: { dir: string; text: string }[] = [];
  for (const file of found.sort()) {
    const text = readText(root, file, diagnostics);
    if (text !== undefined) manifests.push({ dir: file.replace(/\/?package\.json$/, '') || '.', text });
  }
  const described = describeWorkspace({
    manager,
    ...(lockfile ? { lockfile } : {}),
    rootFiles: DEFAULT_INCLUDE.filter((f) => present(root, f)),
    manifests: manifests.filter((m) => m.dir !== '.'),
  });
  for (const problem of described.problems) diagnostics.push(warn(problem.message, `${problem.dir}/package.json`));
  return { workspace: described.workspace, diagnostics };
}
