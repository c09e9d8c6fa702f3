import { readdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { closest, type CompileResult, type Diagnostic } from '@stagec/core';
import type { ConfigFile } from './config';

const isDir = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/**
 * MISSING_FOLDER: a service whose `path` does not exist yet. compile would create it, which is
 * how a misspelt path silently starts a second folder; the hint names the nearest existing
 * sibling folder (`apps/api` for `apps/aip`).
 */
export function missingFolders(config: ConfigFile, result: CompileResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  // Sibling folders per parent, read once (a fresh workspace may miss every service folder).
  const listed = new Map<string, string[]>();
  const foldersIn = (parent: string): string[] => {
    let names = listed.get(parent);
    if (names === undefined) {
      try {
        names = readdirSync(posix.join(config.root, parent), { withFileTypes: true })
          .filter((e) => e.isDirectory() && e.name !== 'node_modules' && !e.name.startsWith('.'))
          .map((e) => e.name);
      } catch {
        names = []; // unreadable: no suggestion
      }
      listed.set(parent, names);
    }
    return names;
  };
  for (const service of result.project?.services ?? []) {
    const path = posix.normalize(service.path);
    if (path.startsWith('..') || isDir(posix.join(config.root, path))) continue;
    // The nearest existing ancestor, and the folder name that is missing below it.
    let parent = posix.dirname(path);
    let missing = posix.basename(path);
    while (parent !== '.' && !isDir(posix.join(config.root, parent))) {
      missing = posix.basename(parent);
      parent = posix.dirname(parent);
    }
    const near = closest(missing, foldersIn(parent));
    const suggestion = near === undefined ? undefined : posix.join(parent, near, posix.relative(posix.join(parent, missing), path));
    out.push({
      code: 'MISSING_FOLDER',
      severity: 'warning',
      message: `the folder ${path} of service "${service.name}" does not exist; compile would create it`,
      file: config.display,
      ...result.source.position(['services', service.name, 'path']),
      hint: suggestion ? `did you mean "${suggestion}"?` : 'create the folder with the service\'s sources, or fix the path',
    });
  }
  return out;
}
