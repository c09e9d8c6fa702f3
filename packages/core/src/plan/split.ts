import { posix } from 'node:path';
import type { DigestSource, PlannedBuild } from './commands';
import { shellQuote } from './quote';
import { engineCommands, repository, type BuildRequest } from './engines';

/** What a split build's jobs share with an ordinary one. */
export type JobBase = Pick<PlannedBuild, 'service' | 'target' | 'engine' | 'tags' | 'dockerfile' | 'context' | 'depends_on'>;

/**
 * A multi-platform buildx build as a CI matrix (the pattern Docker documents for native
 * runners): a job per platform that pushes by digest and writes buildx's metadata file, then a
 * merge job that tags the manifest list made of those digests.
 */
export function splitByPlatform(request: BuildRequest, buildId: string, base: JobBase, metadataDir: string): { jobs: PlannedBuild[]; errors: string[] } {
  const jobs: PlannedBuild[] = [];
  const errors: string[] = [];
  const sources: DigestSource[] = [];
  for (const platform of request.platforms) {
    const id = `${buildId}@${platform}`;
    const metadataFile = posix.join(metadataDir, `${base.service}-${base.target}-${platform.replace(/[^A-Za-z0-9.-]/g, '-')}.json`);
    const cmd = engineCommands({ ...request, platforms: [platform], byDigest: { metadataFile } });
    errors.push(...cmd.errors);
    jobs.push({ id, kind: 'build', ...base, argv: cmd.argv, env: {}, platforms: [platform], push: true, then: [] });
    sources.push({ build: id, platform, metadataFile, image: repository(base.tags[0]!) });
  }
  const argv = ['docker', 'buildx', 'imagetools', 'create', ...base.tags.flatMap((t) => ['-t', t])];
  jobs.push({ id: buildId, kind: 'merge', ...base, argv, env: {}, depends_on: sources.map((s) => s.build), platforms: [...request.platforms], push: true, then: [], sources, shell: mergeShell(argv, sources) });
  return { jobs, errors };
}

/**
 * The merge job as a shell line: each source's digest read from its buildx metadata file
 * (pretty-printed JSON, one key per line) with sed, so CI needs no jq.
 */
function mergeShell(argv: readonly string[], sources: readonly DigestSource[]): string {
  const digest = (file: string): string => `$(sed -n 's/.*"containerimage.digest": *"\\(sha256:[0-9a-f]*\\)".*/\\1/p' ${shellQuote([file])})`;
  return `${shellQuote(argv)} ${sources.map((s) => `${shellQuote([`${s.image}@`])}"${digest(s.metadataFile)}"`).join(' ')}`;
}
