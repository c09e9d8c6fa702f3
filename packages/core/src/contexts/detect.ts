import { describeWorkspace } from './set';
import { DEFAULT_INCLUDE, LOCKFILES, workspaceGlobs, type Workspace } from './workspace';

/**
 * What detection needs from the file system, given by the edge (the CLI, the Nx plugin): reads
 * through their own bounded read path, and a glob that never enters node_modules or follows a
 * symbolic link. Paths are workspace-relative, posix.
 */
export interface WorkspaceFiles {
  /** A file's text; undefined when it does not exist; a string message when it cannot be read. */
  read(path: string): { text: string } | { missing: true } | { error: string };
  exists(path: string): boolean;
  /** Files matching the globs (minus `ignore`), sorted. */
  glob(patterns: readonly string[], ignore: readonly string[]): string[];
}

export interface Detected {
  workspace?: Workspace;
  /** Files that could not be read or understood, with why: warnings (WORKSPACE_INVALID). */
  problems: { file: string; message: string }[];
}

/**
 * The JavaScript workspace at the root (DESIGN 15): pnpm-workspace.yaml's or package.json's
 * globs, each matched folder's package.json, the lockfile and the shared root files present.
 * No workspace when the root declares none.
 */
export function detectWorkspace(files: WorkspaceFiles): Detected {
  const problems: Detected['problems'] = [];
  const text = (file: string): string | undefined => {
    const read = files.read(file);
    if ('text' in read) return read.text;
    if ('error' in read) problems.push({ file, message: `cannot read ${file}: ${read.error}` });
    return undefined;
  };
  const pnpm = text('pnpm-workspace.yaml');
  const globs = workspaceGlobs(text('package.json'), pnpm);
  if (!globs.ok) return { problems: [...problems, { file: pnpm !== undefined ? 'pnpm-workspace.yaml' : 'package.json', message: globs.message }] };
  if (!globs.value) return { problems };
  const lockfile = LOCKFILES.find((f) => files.exists(f));
  const manager = pnpm !== undefined || lockfile === 'pnpm-lock.yaml' ? 'pnpm' : lockfile === 'yarn.lock' || files.exists('.yarnrc.yml') ? 'yarn' : 'npm';
  const positive = globs.value.filter((g) => !g.startsWith('!')).map((g) => `${g.replace(/\/+$/, '')}/package.json`);
  const negative = globs.value.filter((g) => g.startsWith('!')).map((g) => g.slice(1));
  const manifests: { dir: string; text: string }[] = [];
  for (const file of positive.length ? files.glob(positive, ['**/node_modules/**', ...negative]) : []) {
    const dir = file.replace(/\/?package\.json$/, '') || '.';
    const manifest = dir === '.' ? undefined : text(file);
    if (manifest !== undefined) manifests.push({ dir, text: manifest });
  }
  const described = describeWorkspace({ manager, ...(lockfile ? { lockfile } : {}), rootFiles: DEFAULT_INCLUDE.filter((f) => files.exists(f)), manifests });
  for (const p of described.problems) problems.push({ file: `${p.dir}/package.json`, message: p.message });
  return { workspace: described.workspace, problems };
}
