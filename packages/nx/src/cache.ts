import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Nx calls createNodes for every graph computation (in a fresh worker without the daemon), so
 * results are kept in memory for this process and on disk in Nx's workspace data folder
 * (cleared by `nx reset`), keyed on a hash of everything they depend on.
 */
const memory = new Map<string, unknown>();

export const cacheKey = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);

export function dataDirectory(workspaceRoot: string): string {
  return process.env.NX_WORKSPACE_DATA_DIRECTORY ?? process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY ?? join(workspaceRoot, '.nx', 'workspace-data');
}

export function lookup<T>(directory: string, key: string): T | undefined {
  if (memory.has(key)) return memory.get(key) as T;
  try {
    const value = JSON.parse(readFileSync(join(directory, `stagec-nx-${key}.json`), 'utf8')) as T;
    memory.set(key, value);
    return value;
  } catch {
    return undefined; // not cached yet, or unreadable
  }
}

export function store<T>(directory: string, key: string, value: T): T {
  memory.set(key, value);
  const file = join(directory, `stagec-nx-${key}.json`);
  try {
    mkdirSync(directory, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(value));
    renameSync(temp, file);
  } catch {
    // a read-only data folder only costs speed
  }
  return value;
}
