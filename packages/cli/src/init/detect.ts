import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { DEFAULT_MAX_CONFIG_SIZE, isGenerated } from '@stagec/core';
import { readRegular } from '../read';
import { isDockerfileName } from '../import/discover';

/** What `stagec init` found in one folder, and the facts its pipeline needs. */
export type Detected =
  | { kind: 'dockerfile'; path: string }
  | { kind: 'node'; path: string; why: string; lockfile: boolean; main: string; test: boolean; build: boolean }
  | { kind: 'node-static'; path: string; why: string; lockfile: boolean; test: boolean }
  | { kind: 'go'; path: string; why: string }
  | { kind: 'python'; path: string; why: string; requirements: boolean; pyproject: boolean; main: string[]; test: boolean }
  | { kind: 'static'; path: string; why: string };

const SKIPPED = new Set(['node_modules', '.git', 'dist', 'build', 'vendor', '.venv', 'venv', '__pycache__', 'target']);

/** A file's text through the one read path (never a FIFO's hang, never past the cap); '' when it cannot be read. */
const readText = (file: string): string => {
  const read = readRegular(file, DEFAULT_MAX_CONFIG_SIZE);
  return read.ok ? read.bytes.toString('utf8') : '';
};

const readJson = (file: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(readText(file));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** `node dist/server.js` in a start script, else `main`: the file the runtime starts. */
function nodeMain(pkg: Record<string, unknown>): string | undefined {
  const scripts = (pkg.scripts ?? {}) as Record<string, string>;
  const start = /^node\s+(\S+)\s*$/.exec(scripts.start ?? '');
  if (start) return start[1];
  return typeof pkg.main === 'string' ? pkg.main : undefined;
}

function detectFolder(root: string, dir: string, files: string[]): Detected | undefined {
  const path = relative(root, dir).split(sep).join('/') || '.';
  // A Dockerfile stagec generated is no hand-written one to import: the folder is detected by its sources.
  if (files.some((f) => isDockerfileName(f) && !isGenerated(readText(join(dir, f))))) return { kind: 'dockerfile', path };
  if (files.includes('package.json')) {
    const pkg = readJson(join(dir, 'package.json'));
    if (!pkg) return undefined;
    const scripts = (pkg.scripts ?? {}) as Record<string, string>;
    const lockfile = files.includes('package-lock.json');
    const main = nodeMain(pkg);
    if (main) return { kind: 'node', path, why: scripts.start ? 'package.json with a start script' : 'package.json with main', lockfile, main, test: Boolean(scripts.test), build: Boolean(scripts.build) };
    if (scripts.build) return { kind: 'node-static', path, why: 'package.json with a build script and no start: a site it builds', lockfile, test: Boolean(scripts.test) };
    return undefined;
  }
  if (files.includes('go.mod')) {
    const main = files.some((f) => f.endsWith('.go') && !f.endsWith('_test.go') && /^package main\b/m.test(readText(join(dir, f))));
    return main ? { kind: 'go', path, why: 'go.mod with a main package' } : undefined;
  }
  const requirements = files.includes('requirements.txt');
  const pyproject = files.includes('pyproject.toml');
  const entry = ['__main__.py', 'main.py', 'app.py', `${posix.basename(path)}.py`].find((f) => files.includes(f)) ??
    files.find((f) => f.endsWith('.py') && !f.startsWith('test') && /__name__\s*==\s*['"]__main__['"]/.test(readText(join(dir, f))));
  if (requirements || pyproject || entry) {
    const why = requirements ? 'requirements.txt' : pyproject ? 'pyproject.toml' : `${entry} runs as a program`;
    // unittest exits 5 when it finds no tests (Python 3.12): only a folder with tests gets the stage.
    const test = files.some((f) => /^test.*\.py$|_test\.py$/.test(f)) || existsSync(join(dir, 'tests'));
    return { kind: 'python', path, why, requirements, pyproject, main: entry ? ['python3', entry] : ['python3', '-m', posix.basename(path).replace(/-/g, '_')], test };
  }
  if (files.includes('index.html')) return { kind: 'static', path, why: 'index.html: a static site' };
  return undefined;
}

/**
 * Services under `root`, one per folder; a detected folder's subfolders belong to it. The root
 * itself is a service only when nothing below it is (a single-app repository): in a monorepo
 * its package.json or go.mod is the workspace's, not a service's. A root Dockerfile is always one.
 */
export function detectServices(root: string): Detected[] {
  const out: Detected[] = [];
  const children = (dir: string, entries: Dirent[]): void => {
    for (const e of entries) if (e.isDirectory() && !SKIPPED.has(e.name) && !e.name.startsWith('.')) walk(join(dir, e.name));
  };
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const found = detectFolder(root, dir, entries.filter((e) => e.isFile()).map((e) => e.name));
    if (found) out.push(found);
    if (!found || found.kind === 'dockerfile') children(dir, entries);
  };
  if (!existsSync(root)) return out;
  const entries = readdirSync(root, { withFileTypes: true });
  const atRoot = detectFolder(root, root, entries.filter((e) => e.isFile()).map((e) => e.name));
  children(root, entries);
  if (atRoot && (atRoot.kind === 'dockerfile' || out.length === 0)) out.push(atRoot);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
