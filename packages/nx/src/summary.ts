import { createHash } from 'node:crypto';
import { compile, crossServiceNeeds, formatDiagnostic, parseLock, type ResolvedProject } from '@stagec/core';

/** What the targets need to know about a service: small enough to cache as JSON. */
export interface ServiceSummary {
  name: string;
  description?: string;
  path: string;
  dockerfile: string;
  context: string;
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

export function summarize(project: ResolvedProject, dockerfiles: ReadonlyMap<string, string>): ServiceSummary[] {
  return project.services.map((s) => ({
    name: s.name,
    ...(s.description ? { description: s.description } : {}),
    path: s.path,
    dockerfile: s.dockerfile,
    context: s.context,
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
export function compileSummary(text: string, file: string, lockFile?: { text: string; file: string }): { services: ServiceSummary[] } | { error: string } {
  const parsed = lockFile ? parseLock(lockFile.text, lockFile.file) : undefined;
  if (parsed && !parsed.lock) return { error: parsed.diagnostics.map((d) => formatDiagnostic(d, { source: lockFile!.text })).join('\n') };
  const result = compile(text, { file, ...(parsed?.lock ? { lock: parsed.lock, lockFile: lockFile!.file } : {}) });
  if (result.failed || !result.project) {
    return { error: result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, { source: text })).join('\n') };
  }
  return { services: summarize(result.project, new Map(result.dockerfiles.map((d) => [d.service, d.text]))) };
}
