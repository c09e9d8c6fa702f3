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
    workspace: {
      manager: input.manager,
      ...(input.lockfile ? { lockfile: input.lockfile } : {}),
      rootFiles: [...input.rootFiles].sort(),
      packages,
    },
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

/** A workspace's packages by name and by folder: built once per run by the callers that ask for many services. */
export interface WorkspaceIndex {
  workspace: Workspace;
  /** The last package of each name, as a Map built from the list would hold. */
  byName: Map<string, WorkspacePackage>;
  /** The first package of each folder, as a search of the list would find. */
  byDir: Map<string, WorkspacePackage>;
}

export function indexWorkspace(workspace: Workspace): WorkspaceIndex {
  const byName = new Map<string, WorkspacePackage>();
  const byDir = new Map<string, WorkspacePackage>();
  for (const p of workspace.packages) {
    if (p.name) byName.set(p.name, p);
    if (!byDir.has(p.dir)) byDir.set(p.dir, p);
  }
  return { workspace, byName, byDir };
}

/**
 * The service's context set (docs/contexts.md): its folder, the folders of its local workspace
 * dependencies, transitively, and the root files of `include` (default: the shared root files
 * the workspace has). Pure: the workspace is what the edge detected.
 */
export function contextSet(servicePath: string, workspace: Workspace | undefined, include?: readonly string[]): ContextSet {
  return contextSetIn(servicePath, workspace && indexWorkspace(workspace), include);
}

/** contextSet over an index made once for all services (a search of the package list per service grows with the square of their number). */
export function contextSetIn(servicePath: string, index: WorkspaceIndex | undefined, include?: readonly string[]): ContextSet {
  const dirs = new Set<string>([servicePath]);
  if (index) {
    const start = index.byDir.get(servicePath);
    const queue = start ? [start] : [];
    const seen = new Set<string>();
    for (let next = 0; next < queue.length; next++) {
      const pkg = queue[next]!;
      if (seen.has(pkg.dir)) continue;
      seen.add(pkg.dir);
      dirs.add(pkg.dir);
      for (const name of pkg.local) {
        const dep = index.byName.get(name);
        if (dep) queue.push(dep);
      }
    }
  }
  const rootFiles = include ? [...include] : [...(index?.workspace.rootFiles ?? [])];
  const packages = [...dirs].sort();
  return { entries: [...new Set([...packages, ...rootFiles])].sort(), packages, rootFiles: [...new Set(rootFiles)].sort() };
}
