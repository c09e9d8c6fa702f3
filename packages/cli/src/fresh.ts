import type { CompileResult } from '@stagec/core';
import type { Io } from './io';
import { planFiles, type PlannedFile } from './write';

/**
 * The Dockerfiles of `services` that are not what stages.yaml compiles to (stale, missing,
 * hand-written, or unwritable). One check for every command that hands Dockerfiles to an
 * engine: build, build --dry-run, plan and bake refuse the same files a real build would.
 */
export function staleDockerfiles(root: string, result: CompileResult, services?: ReadonlySet<string>): PlannedFile[] {
  const wanted = result.dockerfiles.filter((d) => !services || services.has(d.service));
  return planFiles(root, wanted.map((d) => ({ service: d.service, path: d.path, text: d.text }))).filter((f) => f.state !== 'unchanged');
}

/** Whether `--compile` may write them: never over a hand-written file or through a path that leaves the workspace. */
export const compilable = (stale: readonly PlannedFile[]): boolean => stale.every((f) => f.state === 'new' || f.state === 'stale');

export function reportStale(io: Io, command: string, stale: readonly PlannedFile[], compileFlag: boolean): void {
  for (const f of stale) io.stderr.write(`stagec ${command}: ${f.path} is ${f.state === 'new' ? 'missing' : f.state} (not what stages.yaml compiles to)\n`);
  io.stderr.write(`run \`stagec compile\` first${compileFlag ? ' (or pass --compile)' : ''}\n`);
}
