import type { Diagnostic } from '../diagnostics';
import type { SourceIndex } from '../load';
import type { ResolvedService } from '../resolve';
import { contextSetIn, indexWorkspace, type ContextSet } from './set';
import type { Workspace } from './workspace';

const ROOT_FOLDERS = new Set(['.yarn/releases', '.yarn/plugins', '.yarn/patches', 'patches']);

/** A service whose build context is pruned to its context set by a Dockerfile-specific ignore file. */
export interface PrunedContext {
  service: string;
  /** The context folder, workspace-relative. */
  context: string;
  /** `<dockerfile>.dockerignore`, workspace-relative: BuildKit reads it instead of the context's `.dockerignore`. */
  ignoreFile: string;
  /** Workspace-relative. */
  set: ContextSet;
  /** The set relative to the context folder: what the ignore file keeps. */
  entries: string[];
  /** Those of `entries` known to be plain files (default root files such as package.json). */
  files: string[];
}

/**
 * Which services get a pruned context: an object `context` (unless `prune: false`), and a
 * plain root context (`context: .`) of a service whose folder is a package of the detected workspace. A context that is the
 * service's own folder is left alone: nothing of it could be pruned.
 */
export function pruneContexts(
  services: readonly ResolvedService[],
  workspace: Workspace | undefined,
  source: SourceIndex,
): { contexts: PrunedContext[]; diagnostics: Diagnostic[] } {
  const contexts: PrunedContext[] = [];
  const diagnostics: Diagnostic[] = [];
  let index: ReturnType<typeof indexWorkspace> | undefined;
  for (const service of services) {
    const options = service.contextOptions;
    if (!options?.prune) continue;
    // A plain root context is pruned only for a workspace package: a Go or Python service built
    // from the root is no part of the JavaScript workspace, and its context set would be a guess.
    // The workspace is indexed once, for the first service that needs it.
    index ??= workspace && indexWorkspace(workspace);
    if (!options.explicit && (service.context !== '.' || !index || !index.byDir.has(service.path))) continue;
    const set = contextSetIn(service.path, index, options.include);
    const entries: string[] = [];
    const outside: string[] = [];
    for (const entry of set.entries) {
      if (service.context === '.') entries.push(entry);
      else if (entry === service.context) entries.push('.');
      else if (entry.startsWith(`${service.context}/`)) entries.push(entry.slice(service.context.length + 1));
      else outside.push(entry);
    }
    if (outside.length) {
      diagnostics.push({
        code: 'CONTEXT_OUTSIDE',
        severity: 'error',
        message: `service "${service.name}": ${outside.join(', ')} ${outside.length === 1 ? 'is' : 'are'} in its context set but outside its build context "${service.context}"`,
        file: source.file,
        ...source.position(options.at),
        hint: 'use the workspace root as the context (context: {path: .}), or drop the entry from include',
      });
      continue;
    }
    if (entries.includes('.')) continue;
    // Of the default root files, all but the .yarn folders and patches/ are files; an `include` entry may be either.
    const known = options.include ? [] : set.rootFiles.filter((f) => !ROOT_FOLDERS.has(f));
    const files = known.map((f) => (service.context === '.' ? f : f.slice(service.context.length + 1)));
    contexts.push({
      service: service.name,
      context: service.context,
      ignoreFile: `${service.dockerfile}.dockerignore`,
      set,
      entries,
      files,
    });
  }
  return { contexts, diagnostics };
}
