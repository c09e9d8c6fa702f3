import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Nx calls createNodes for every graph computation (in a fresh worker without the daemon), so
 * results are kept in memory for this process and on disk in Nx's workspace data folder
 * (cleared by `nx reset`). On disk, each slot (a stages.yaml with its options) is one file
 * holding the latest result and its key (a hash of everything the result depends on), so
 * edits replace the entry instead of piling up files.
 */
const memory = new Map<string, unknown>();

export const cacheKey = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);

export function dataDirectory(workspaceRoot: string): string {
  return (
    process.env.NX_WORKSPACE_DATA_DIRECTORY ?? process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY ?? join(workspaceRoot, '.nx', 'workspace-data')
  );
}

const slotFile = (directory: string, slot: string): string => join(directory, `stagec-nx-${slot}.json`);

export function lookup<T>(directory: string, slot: string, key: string): T | undefined {
  if (memory.has(key)) return memory.get(key) as T;
  try {
    const entry = JSON.parse(readFileSync(slotFile(directory, slot), 'utf8')) as { key?: string; value?: T };
    if (entry.key !== key || entry.value === undefined) return undefined;
    memory.set(key, entry.value);
    return entry.value;
  } catch {
    return undefined; // not cached yet, or unreadable
  }
}

export function store<T>(directory: string, slot: string, key: string, value: T): T {
  memory.set(key, value);
  const file = slotFile(directory, slot);
  try {
    mkdirSync(directory, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ key, value }));
    renameSync(temp, file);
  } catch {
    // a read-only data folder only costs speed
  }
  return value;
}
