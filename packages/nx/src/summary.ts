import { createHash } from 'node:crypto';
import { compile, crossServiceNeeds, formatDiagnostic, parseLock, type PrunedContext, type ResolvedProject, type Workspace } from '@stagec/core';

/** What the targets need to know about a service: small enough to cache as JSON. */
export interface ServiceSummary {
  name: string;
  description?: string;
  path: string;
  dockerfile: string;
  context: string;
  /** A pruned context (DESIGN 15): the workspace-relative folders and files it sends. */
  contextSet?: string[];
  image: string;
  tag: string;
  target: string;
  /** sha256 of the compiled Dockerfile: the targets' cache keys are built from it. */
  sha: string;
  /** build.cacheOnly: the stages Nx may cache when the plugin's cacheableStages option is not set. */
  cacheOnly: string[];
  /** Each stage with the other services' stages it needs built first. */
  stages: { name: string; needs: { service: string; stage: string }[] }[];
}

export function summarize(project: ResolvedProject, dockerfiles: ReadonlyMap<string, string>, contexts: readonly PrunedContext[] = []): ServiceSummary[] {
  const pruned = new Map(contexts.map((c) => [c.service, c.set.entries]));
  return project.services.map((s) => ({
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
    path: s.path,
    dockerfile: s.dockerfile,
    context: s.context,
    ...(pruned.has(s.name) ? { contextSet: pruned.get(s.name) } : {}),
    image: s.image,
    tag: s.tag,
    target: s.target,
    sha: createHash('sha256').update(dockerfiles.get(s.name) ?? '').digest('hex'),
    cacheOnly: s.build.cacheOnly,
    stages: s.stages.map((stage) => ({
      name: stage.name,
      needs: crossServiceNeeds(s, stage.name).map((n) => ({ service: n.service, stage: n.stage })),
    })),
  }));
}

/** stages.yaml text to the services' summaries, or the formatted error diagnostics. */
export function compileSummary(text: string, file: string, lockFile?: { text: string; file: string }, workspace?: Workspace): { services: ServiceSummary[] } | { error: string } {
  const parsed = lockFile ? parseLock(lockFile.text, lockFile.file) : undefined;
  if (parsed && !parsed.lock) return { error: parsed.diagnostics.map((d) => formatDiagnostic(d, { source: lockFile!.text })).join('\n') };
  const result = compile(text, { file, ...(parsed?.lock ? { lock: parsed.lock, lockFile: lockFile!.file } : {}), ...(workspace ? { workspace } : {}) });
  if (result.failed || !result.project) {
    return { error: result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, { source: text })).join('\n') };
  }
  return { services: summarize(result.project, new Map(result.dockerfiles.map((d) => [d.service, d.text])), result.contexts) };
}
