import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, posix, relative, resolve, sep } from 'node:path';
import { DEFAULT_MAX_CONFIG_SIZE, isGenerated } from '@stagec/core';
import { readRegular } from '../read';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** `Dockerfile`, `Dockerfile.<x>`, `<x>.Dockerfile`, `Containerfile` (DESIGN 11); never an ignore file. */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false;
  return /^(Dockerfile|Containerfile)(\.[^.]+)?$/.test(name) || /^[^.][^/]*\.(Dockerfile|Containerfile)$/.test(name);
}

export interface Found {
  /** Workspace-relative, with `/`. */
  file: string;
  text: string;
}

/** Dockerfiles under `paths` (files or folders), workspace-relative and sorted; files stagec generated are left out. */
export function discover(root: string, paths: readonly string[]): { found: Found[]; generated: string[]; outside: { file: string; why: string }[] } {
  const files = new Set<string>();
  const walk = (absolute: string): void => {
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isFile()) {
      files.add(absolute);
      return;
    }
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(absolute, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(join(absolute, entry.name));
      // Anything named like a Dockerfile is looked at, so what cannot be read is said, not skipped
      // silently; a symlink is read only where it stays inside the workspace; symlinked folders are not followed.
      else if (!entry.isDirectory() && isDockerfileName(entry.name)) files.add(join(absolute, entry.name));
    }
  };
  for (const p of paths) walk(resolve(root, p));
  const found: Found[] = [];
  const generated: string[] = [];
  const outside: { file: string; why: string }[] = [];
  const realRoot = realpathSync(root);
  for (const absolute of [...files].sort()) {
    const file = relative(root, absolute).split(sep).join('/');
    let real: string;
    try {
      real = realpathSync(absolute);
    } catch {
      outside.push({ file, why: 'a dangling symbolic link' });
      continue;
    }
    if (real !== realRoot && !real.startsWith(realRoot + sep)) {
      outside.push({ file, why: 'a symbolic link to a file outside the workspace' });
      continue;
    }
    // The one read path (DESIGN 14): a regular file, never a FIFO or device, at most the cap.
    const read = readRegular(real, DEFAULT_MAX_CONFIG_SIZE);
    let text: string | undefined;
    if (read.ok) {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
      } catch {
        outside.push({ file, why: 'not UTF-8 text' });
        continue;
      }
    }
    if (text === undefined) {
      outside.push({ file, why: read.ok ? 'unreadable' : read.detail });
      continue;
    }
    if (isGenerated(text)) generated.push(file);
    else found.push({ file, text });
  }
  return { found, generated, outside };
}

/** The part of a Dockerfile's name that tells variants apart: `Dockerfile.debug` and `debug.Dockerfile` give `debug`. */
export function suffixOf(fileName: string): string | undefined {
  const m = /^(?:Dockerfile|Containerfile)\.(.+)$/.exec(fileName) ?? /^(.+)\.(?:Dockerfile|Containerfile)$/.exec(fileName);
  return m?.[1];
}

const clean = (s: string): string =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .replace(/-+$/, '') || 'service';

/**
 * Service names, DESIGN 11: the folder's name, plus the file's suffix; names that collide take
 * their parent folders too (`apps-api`, `services-api`), as many as it takes.
 */
export function serviceNames(files: readonly string[], rootName: string): string[] {
  // A folder of `<x>.Dockerfile` files with no plain Dockerfile holds several services, not
  // variants of one: each is named after its file (`docker/orders.Dockerfile` -> `orders`).
  const withMain = new Set(files.filter((f) => suffixOf(posix.basename(f)) === undefined).map((f) => posix.dirname(f)));
  const parts = files.map((file) => {
    const folder = posix.dirname(file);
    const folders = folder === '.' ? [rootName] : folder.split('/');
    const suffix = suffixOf(posix.basename(file));
    if (suffix !== undefined && !withMain.has(folder)) return { folders: [...folders, suffix], suffix: undefined };
    return { folders, suffix };
  });
  const nameWith = (i: number, depth: number): string => {
    const { folders, suffix } = parts[i]!;
    const base = folders.slice(Math.max(0, folders.length - depth)).join('-');
    return clean(suffix && suffix !== base ? `${base}-${suffix}` : base);
  };
  const depth = files.map(() => 1);
  for (let round = 0; round < 16; round++) {
    const names = files.map((_, i) => nameWith(i, depth[i]!));
    const seen = new Map<string, number[]>();
    names.forEach((n, i) => seen.set(n, [...(seen.get(n) ?? []), i]));
    const clashes = [...seen.values()].filter((g) => g.length > 1);
    if (clashes.length === 0) return names;
    for (const group of clashes) for (const i of group) depth[i] = depth[i]! + 1;
  }
  // Still the same after every folder: number them, in file order.
  const names = files.map((_, i) => nameWith(i, depth[i]!));
  return names.map((n, i) => (names.indexOf(n) === i ? n : `${n}-${i + 1}`));
}

export const folderName = (root: string): string => basename(resolve(root));
