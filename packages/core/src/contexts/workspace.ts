import { parse } from 'yaml';

/**
 * What the CLI (or the Nx plugin) found on disk, handed to core as plain data: detection reads
 * files, so it happens at the edge; everything computed from it here is pure.
 */
export interface Workspace {
  manager: 'npm' | 'pnpm' | 'yarn';
  /** The lockfile at the root, if any (package-lock.json, pnpm-lock.yaml, yarn.lock, ...). */
  lockfile?: string;
  /** Root entries present among the shared ones the default `include` names (DEFAULT_INCLUDE). */
  rootFiles: string[];
  packages: WorkspacePackage[];
}

export interface WorkspacePackage {
  name: string;
  /** Folder relative to the workspace root, posix. */
  dir: string;
  /** Names of workspace packages it depends on (any dependency kind), direct only. */
  local: string[];
}

/** Lockfiles, most specific first: the first present names the manager where no other sign does. */
export const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'] as const;

/**
 * The root entries a JavaScript workspace's install and build read besides the packages
 * themselves; the default `include` is those of them present (docs/contexts.md lists them).
 */
export const DEFAULT_INCLUDE = [
  'package.json',
  ...LOCKFILES,
  'pnpm-workspace.yaml',
  '.pnpmfile.cjs',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.yarn/releases',
  '.yarn/plugins',
  '.yarn/patches',
  'patches',
  '.nvmrc',
  '.node-version',
  'tsconfig.json',
  'tsconfig.base.json',
] as const;

export type ManifestResult<T> = { ok: true; value: T } | { ok: false; message: string };

const object = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/**
 * The workspace globs: pnpm-workspace.yaml's `packages` when that file is given (pnpm ignores
 * package.json's field), else package.json's `workspaces`, an array (npm, yarn) or
 * `{packages: [...]}` (yarn classic's form with nohoist). Undefined: not a workspace root.
 */
export function workspaceGlobs(rootManifest: string | undefined, pnpmWorkspace: string | undefined): ManifestResult<string[] | undefined> {
  if (pnpmWorkspace !== undefined) {
    let doc: unknown;
    try {
      doc = parse(pnpmWorkspace);
    } catch (error) {
      return { ok: false, message: `pnpm-workspace.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}` };
    }
    const packages = doc === null || doc === undefined ? [] : strings(object(doc)?.packages ?? []);
    if (!packages) return { ok: false, message: 'pnpm-workspace.yaml: `packages` must be a list of globs' };
    return { ok: true, value: packages };
  }
  if (rootManifest === undefined) return { ok: true, value: undefined };
  const manifest = parseManifest(rootManifest);
  if (!manifest.ok) return manifest;
  const field = manifest.value.workspaces;
  if (field === undefined) return { ok: true, value: undefined };
  const globs = strings(field) ?? strings(object(field)?.packages);
  if (!globs) return { ok: false, message: 'package.json: `workspaces` must be a list of globs or {packages: [...]}' };
  return { ok: true, value: globs };
}

export function parseManifest(text: string): ManifestResult<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${(error as Error).message}` };
  }
  const manifest = object(value);
  return manifest ? { ok: true, value: manifest } : { ok: false, message: 'not a JSON object' };
}

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

/**
 * A package's name and the names it depends on that may be workspace packages: every key of
 * the four dependency maps, plus the target of a `workspace:<name>@<range>` alias (pnpm, yarn)
 * and the folder of a `file:`/`link:`/`portal:` path, resolved against the package's folder.
 */
export function manifestDependencies(text: string, dir: string): ManifestResult<{ name?: string; names: string[]; paths: string[] }> {
  const parsed = parseManifest(text);
  if (!parsed.ok) return parsed;
  const manifest = parsed.value;
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = object(manifest[field]);
    if (!deps) continue;
    for (const [key, spec] of Object.entries(deps)) {
      names.add(key);
      if (typeof spec !== 'string') continue;
      const alias = /^workspace:((?:@[^/@]+\/)?[^@]+)@/.exec(spec);
      if (alias) names.add(alias[1]!);
      const local = /^(?:file|link|portal):(.+)$/.exec(spec);
      if (local) paths.add(joinPath(dir, local[1]!));
    }
  }
  const name = typeof manifest.name === 'string' ? manifest.name : undefined;
  return { ok: true, value: { ...(name ? { name } : {}), names: [...names].sort(), paths: [...paths].sort() } };
}

/** posix join and normalize; `..` above the root stays (the caller drops such paths). */
export function joinPath(dir: string, rel: string): string {
  const out: string[] = [];
  for (const segment of `${dir}/${rel}`.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..' && out.length && out.at(-1) !== '..') out.pop();
    else out.push(segment);
  }
  return out.join('/') || '.';
}
