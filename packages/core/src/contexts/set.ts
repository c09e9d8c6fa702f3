import { manifestDependencies, type Workspace, type WorkspacePackage } from './workspace';

export interface WorkspaceInput {
  manager: Workspace['manager'];
  lockfile?: string;
  rootFiles: string[];
  /** Every package folder the workspace globs matched, with its package.json text. */
  manifests: { dir: string; text: string }[];
}

/**
 * Links the packages the CLI read: a dependency is local when its name is a workspace
 * package's name (any protocol: `*`, a semver range, `workspace:`) or its `file:`/`link:`
 * path is a package's folder. Manifests that do not parse, or have no name, are reported and
 * left out, so one broken package does not stop the others.
 */
export function describeWorkspace(input: WorkspaceInput): { workspace: Workspace; problems: { dir: string; message: string }[] } {
  const problems: { dir: string; message: string }[] = [];
  const read: { dir: string; name: string; names: string[]; paths: string[] }[] = [];
  for (const { dir, text } of [...input.manifests].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0))) {
    const deps = manifestDependencies(text, dir);
    if (!deps.ok) problems.push({ dir, message: `${dir}/package.json is ${deps.message}` });
    else if (!deps.value.name) problems.push({ dir, message: `${dir}/package.json has no "name": no other package can depend on it` });
    if (deps.ok) read.push({ dir, name: deps.value.name ?? '', ...deps.value });
  }
  const byName = new Map<string, string>();
  for (const r of read) if (r.name && !byName.has(r.name)) byName.set(r.name, r.name);
  const byDir = new Map(read.map((r) => [r.dir, r.name]));
  const packages: WorkspacePackage[] = read.map((r) => {
    const local = new Set<string>();
    for (const name of r.names) if (byName.has(name) && name !== r.name) local.add(name);
    for (const path of r.paths) {
      const name = byDir.get(path);
      if (name && name !== r.name) local.add(name);
    }
    return { name: r.name, dir: r.dir, local: [...local].sort() };
  });
  return {
    workspace: { manager: input.manager, ...(input.lockfile ? { lockfile: input.lockfile } : {}), rootFiles: [...input.rootFiles].sort(), packages },
    problems,
  };
}

export interface ContextSet {
  /** Workspace-relative folders and files, sorted: the service's folder, its local dependencies, the root files. */
  entries: string[];
  /** The folders of the service's package and its local dependencies (transitively), sorted. */
  packages: string[];
  /** Root entries taken from `include` (or its default). */
  rootFiles: string[];
}

/**
 * The service's context set (DESIGN 15): its folder, the folders of its local workspace
 * dependencies, transitively, and the root files of `include` (default: the shared root files
 * the workspace has). Pure: the workspace is what the edge detected.
 */
export function contextSet(servicePath: string, workspace: Workspace | undefined, include?: readonly string[]): ContextSet {
  const dirs = new Set<string>([servicePath]);
  if (workspace) {
    const byName = new Map(workspace.packages.filter((p) => p.name).map((p) => [p.name, p]));
    const start = workspace.packages.find((p) => p.dir === servicePath);
    const queue = start ? [start] : [];
    const seen = new Set<string>();
    while (queue.length) {
      const pkg = queue.shift()!;
      if (seen.has(pkg.dir)) continue;
      seen.add(pkg.dir);
      dirs.add(pkg.dir);
      for (const name of pkg.local) {
        const dep = byName.get(name);
        if (dep) queue.push(dep);
      }
    }
  }
  const rootFiles = include ? [...include] : [...(workspace?.rootFiles ?? [])];
  const packages = [...dirs].sort();
  return { entries: [...new Set([...packages, ...rootFiles])].sort(), packages, rootFiles: [...new Set(rootFiles)].sort() };
}
