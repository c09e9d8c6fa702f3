import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, dataDirectory, lookup, store } from './cache';
import { NamingError } from './naming';
import { normalizeOptions, type StagecNxOptions } from './options';
import type { ServiceSummary } from './summary';
import { projectsFor, workspacePath, type ProjectConfiguration } from './targets';

/** Nx's CreateNodesV2 shape, written out so the plugin loads in Nx 21 to 24 without importing Nx internals. */
export interface CreateNodesContext {
  workspaceRoot: string;
}
export type CreateNodesResult = { projects: Record<string, ProjectConfiguration> };
export type CreateNodesFunction = (
  configFiles: readonly string[],
  options: StagecNxOptions | undefined,
  context: CreateNodesContext,
) => Promise<[string, CreateNodesResult][]>;

const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** A stages.yaml that does not compile: Nx prints the message (stagec's diagnostics, file:line), not a stack. */
export class StagesYamlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StagesYamlError';
    this.stack = message;
  }
}

/** Project names Nx already knows at a path: a package.json or project.json name wins over the service name. */
function declaredName(workspaceRoot: string, root: string): string | undefined {
  for (const file of ['project.json', 'package.json']) {
    const path = join(workspaceRoot, root, file);
    if (!existsSync(path)) continue;
    try {
      const name = (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
      if (typeof name === 'string' && name) return name;
    } catch {
      // Nx reports a broken project file itself
    }
  }
  return undefined;
}

export const createNodesFunction: CreateNodesFunction = async (configFiles, rawOptions, context) => {
  const options = normalizeOptions(rawOptions);
  const results: [string, CreateNodesResult][] = [];
  for (const file of configFiles) {
    if (file !== options.config) continue; // only the workspace's own stages.yaml, not fixtures below it
    const text = readFileSync(join(context.workspaceRoot, file), 'utf8');
    const key = cacheKey(VERSION, JSON.stringify(options), file, text);
    const directory = dataDirectory(context.workspaceRoot);
    const slot = cacheKey(JSON.stringify(options), file);
    let entry = lookup<{ services: ServiceSummary[] } | { error: string }>(directory, slot, key);
    if (entry === undefined) {
      const { compileSummary } = await import('./summary');
      entry = store(directory, slot, key, compileSummary(text, file));
    }
    if ('error' in entry) throw new StagesYamlError(`stagec: ${file} does not compile:\n${entry.error}`);
    const names = new Map<string, string>();
    for (const service of entry.services) {
      const name = declaredName(context.workspaceRoot, workspacePath(file, service.path));
      if (name) names.set(service.name, name);
    }
    try {
      results.push([file, { projects: projectsFor(entry.services, options, names) }]);
    } catch (error) {
      if (error instanceof NamingError) throw new StagesYamlError(`stagec: ${file}: ${error.message}`);
      throw error;
    }
  }
  return results;
};

export const STAGES_GLOB = '**/stages.yaml';

