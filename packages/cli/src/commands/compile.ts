import { createTwoFilesPatch } from 'diff';
import type { Command } from 'commander';
import { EXIT, styler, type Io } from '../io';
import { checkDockerfiles, commitFailureDiagnostic, refusalDiagnostics } from '../outputs';
import { reportDiagnostics } from '../report';
import { commitWrites, type PlannedWrite } from '../write';
import { compileConfig, configOption, type ConfigFlags } from './shared';

interface CompileFlags extends ConfigFlags {
  service?: string[];
  check?: boolean;
  force?: boolean;
}

export function registerCompile(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('compile')
      .description('write one Dockerfile per service (only files whose content changed; all or none)')
      .option('--service <name>', 'only this service (repeatable)', (v: string, all: string[] = []) => [...all, v])
      .option('--check', 'write nothing; exit 1 listing each stale Dockerfile with a diff (and, with a stages.lock, each image it lacks)')
      .option('--force', 'overwrite Dockerfiles that lack the generated header (hand-written ones); never stages.yaml, never through a symlink')
      .addHelpText(
        'after',
        '\nExamples:\n  $ stagec compile\n  $ stagec compile --service api --service web\n  $ stagec compile --check    # in CI: fail when Dockerfiles drift from stages.yaml\n\nEvery target is checked before the first write (inside the workspace, a regular file or\nabsent, not stages.yaml); then all files are written to temp files and renamed into place.',
      ),
  ).action((flags: CompileFlags) => setExit(runCompile(io, flags)));
}

export function runCompile(io: Io, flags: CompileFlags): number {
  const compiled = compileConfig(io, flags, flags.service, { lockRequired: flags.check ?? false });
  if (!compiled) return EXIT.failed;
  const { config, result } = compiled;
  const files = checkDockerfiles(compiled, { force: Boolean(flags.force), ...(flags.maxConfigSize ? { maxBytes: flags.maxConfigSize } : {}) });
  const style = styler(io, io.stdout);
  if (flags.check) return check(io, files, style, refusalDiagnostics(files, config, result.source), config.text);

  // Nothing is written when any file is refused: the workspace stays exactly as it was.
  const refused = refusalDiagnostics(files, config, result.source);
  if (refused.length > 0) {
    reportDiagnostics(io, refused, config.text);
    return EXIT.failed;
  }
  const commit = commitWrites(files);
  if (commit.failure) {
    reportDiagnostics(io, [commitFailureDiagnostic(commit.failure, config, result.source)], config.text);
    return EXIT.failed;
  }
  for (const file of commit.written) io.stdout.write(`${style('bold', file.state === 'new' ? 'created' : 'updated')} ${file.display}\n`);
  const written = commit.written.length;
  io.stdout.write(`${written} written, ${files.length - written} unchanged (${files.length} Dockerfile${files.length === 1 ? '' : 's'})\n`);
  return EXIT.ok;
}

/** --check: a diff per stale file; a refused target is reported as a diagnostic, its content never shown. */
function check(io: Io, files: PlannedWrite[], style: ReturnType<typeof styler>, refused: ReturnType<typeof refusalDiagnostics>, text: string): number {
  const stale = files.filter((f) => f.state !== 'unchanged' || f.refusal);
  for (const file of stale) {
    if (file.refusal && file.refusal.reason !== 'hand-written') continue;
    const patch = createTwoFilesPatch(`a/${file.display}`, `b/${file.display}`, file.previous ?? '', file.content ?? '', undefined, undefined, { context: 3 });
    io.stdout.write(`${style('warning', `${file.state === 'new' ? 'missing' : file.state}:`)} ${file.display}\n`);
    io.stdout.write(patch.split('\n').slice(1).join('\n'));
  }
  const blocked = refused.filter((d) => d.code !== 'HAND_WRITTEN_FILE');
  if (blocked.length) reportDiagnostics(io, blocked, text);
  if (stale.length === 0) {
    io.stdout.write(`${files.length} Dockerfile${files.length === 1 ? '' : 's'} up to date\n`);
    return EXIT.ok;
  }
  const fixable = stale.length - blocked.length;
  if (fixable) io.stderr.write(`${fixable} of ${files.length} Dockerfiles are stale; run \`stagec compile\` and commit the result\n`);
  if (blocked.length) io.stderr.write(`${blocked.length} of ${files.length} Dockerfiles cannot be written (see above): \`stagec compile\` would refuse them too\n`);
  return EXIT.failed;
}
