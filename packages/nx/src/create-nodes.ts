import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lockPathFor } from '@stagec/core';
import { cacheKey, dataDirectory, lookup, store } from './cache';
import { NamingError } from './naming';
import { normalizeOptions, type StagecNxOptions } from './options';
import { readStagesYaml } from './read-config';
import type { ServiceSummary } from './summary';
import { misreadNames } from './names';
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
/** Bumped when ServiceSummary changes shape, so a cached summary of the same version is not misread. */
const SUMMARY_FORMAT = '2';

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

/**
 * Nx hands over every YAML file of the workspace; only the configured one is read (not fixtures
 * or examples named stages.yaml), and it must be readable: a wrong `config` option, a missing
 * file or non-UTF-8 bytes are stagec's diagnostic, never zero projects.
 */
export const createNodesFunction: CreateNodesFunction = async (_configFiles, rawOptions, context) => {
  const options = normalizeOptions(rawOptions);
  const file = options.config;
  const read = readStagesYaml(join(context.workspaceRoot, file), file, options.maxConfigSize);
  if ('error' in read) throw new StagesYamlError(`stagec: cannot read ${file}:\n${read.error}`);
  // stages.lock pins the images: it reaches the cache keys through the compiled Dockerfiles.
  const lockFile = lockPathFor(file);
  const lockPath = join(context.workspaceRoot, lockFile);
  const lock = existsSync(lockPath) ? readStagesYaml(lockPath, lockFile, options.maxConfigSize) : undefined;
  if (lock && 'error' in lock) throw new StagesYamlError(`stagec: cannot read ${lockFile}:\n${lock.error}`);
  // Context sets follow the workspace's manifests: they are part of the cache key.
  const { detectAt } = await import('./workspace-files');
  const workspace = detectAt(join(context.workspaceRoot, dirname(file)));
  const key = cacheKey(VERSION, SUMMARY_FORMAT, JSON.stringify(options), file, read.text, lock?.text ?? '', JSON.stringify(workspace ?? null));
  const directory = dataDirectory(context.workspaceRoot);
  const slot = cacheKey(JSON.stringify(options), file);
  let entry = lookup<{ services: ServiceSummary[] } | { error: string }>(directory, slot, key);
  if (entry === undefined) {
    const { compileSummary } = await import('./summary');
    entry = store(directory, slot, key, compileSummary(read.text, file, lock ? { text: lock.text, file: lockFile } : undefined, workspace));
  }
  if ('error' in entry) throw new StagesYamlError(`stagec: ${file} does not compile:\n${entry.error}`);
  const names = new Map<string, string>();
  for (const service of entry.services) {
    const name = declaredName(context.workspaceRoot, workspacePath(file, service.path));
    if (name) names.set(service.name, name);
  }
  const misread = misreadNames(entry.services, options, names);
  if (misread.length) throw new StagesYamlError(`stagec: Nx would misread these target names (see docs/nx.md, "How Nx reads project:target:configuration"):\n${misread.map((m) => `  - ${m}`).join('\n')}`);
  try {
    return [[file, { projects: projectsFor(entry.services, options, names) }]];
  } catch (error) {
    // Several services on one path share a project; two that would get the same target names cannot.
    if (error instanceof NamingError) throw new StagesYamlError(`stagec: ${file}: ${error.message}`);
    throw error;
  }
};

/** Every YAML file, so the plugin runs whatever the configured file is called (and can say it is missing). */
export const STAGES_GLOB = '**/*.{yaml,yml}';

