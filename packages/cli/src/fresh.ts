import type { Io } from './io';
import { checkDockerfiles, commitFailureDiagnostic, isFresh, refusalDiagnostics } from './outputs';
import { reportDiagnostics } from './report';
import type { Compiled } from './commands/shared';
import { commitWrites, type PlannedWrite } from './write';

export interface FreshOptions {
  /** build --compile: write stale or missing Dockerfiles (through the safe write path) instead of refusing. */
  compile?: boolean;
  /** With compile: only say what would be written. */
  dryRun?: boolean;
  maxConfigSize?: number;
}

/**
 * The one stale-file check of every command that hands Dockerfiles to an engine: build (real
 * and --dry-run), plan and bake. Each Dockerfile of `services` (all when undefined) must be
 * what stages.yaml compiles to, so what plan and bake print is what a build would run. With
 * `compile`, stale or missing ones are written first; a hand-written file or a refused target
 * still stops the command.
 */
export function ensureFresh(io: Io, command: string, compiled: Compiled, services: readonly string[] | undefined, options: FreshOptions = {}): boolean {
  const { config, result } = compiled;
  const files = checkDockerfiles(compiled, { ...(services ? { services } : {}), ...(options.maxConfigSize ? { maxBytes: options.maxConfigSize } : {}) });
  const stale = files.filter((f) => !isFresh(f));
  if (stale.length === 0) return true;
  const blocked = stale.filter((f) => f.refusal && f.refusal.reason !== 'hand-written');
  if (blocked.length) {
    reportDiagnostics(io, refusalDiagnostics(blocked, config, result.source), config.text);
    return false;
  }
  const handWritten = stale.filter((f) => f.state === 'hand-written');
  const canCompile = command === 'build';
  if (!options.compile || handWritten.length) {
    for (const f of stale) io.stderr.write(`stagec ${command}: ${f.display} is ${describeState(f)} (not what stages.yaml compiles to)\n`);
    io.stderr.write(
      handWritten.length
        ? options.compile
          ? '--compile never replaces a hand-written Dockerfile: run `stagec compile --force` to replace it, or move it away\n'
          : 'run `stagec compile` first (`stagec compile --force` to replace a hand-written Dockerfile)\n'
        : `run \`stagec compile\` first${canCompile ? ' (or pass --compile)' : ''}\n`,
    );
    return false;
  }
  if (options.dryRun) {
    for (const f of stale) io.stderr.write(`stagec ${command}: would write ${f.display} (--compile)\n`);
    return true;
  }
  const commit = commitWrites(stale);
  if (commit.failure) {
    reportDiagnostics(io, [commitFailureDiagnostic(commit.failure, config, result.source)], config.text);
    return false;
  }
  for (const f of commit.written) io.stderr.write(`stagec ${command}: wrote ${f.display}\n`);
  return true;
}

const describeState = (f: PlannedWrite): string => (f.state === 'new' ? 'missing' : f.state);
