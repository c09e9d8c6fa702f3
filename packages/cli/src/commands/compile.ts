import { createTwoFilesPatch } from 'diff';
import type { Command } from 'commander';
import type { Diagnostic, SourceIndex } from '@stagec/core';
import { EXIT, styler, type Io } from '../io';
import { findOrphans, type Orphan, type OrphanSearch } from '../orphans';
import { removeGenerated } from '../remove';
import { reportDiagnostics } from '../report';
import { planFiles, writeAtomic, type PlannedFile } from '../write';
import { compileConfig, configOption } from './shared';

interface CompileFlags {
  config?: string;
  service?: string[];
  check?: boolean;
  force?: boolean;
  prune?: boolean;
  json?: boolean;
}

export function registerCompile(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('compile')
      .description('write one Dockerfile per service (only files whose content changed)')
      .option('--service <name>', 'only this service (repeatable)', (v: string, all: string[] = []) => [...all, v])
      .option('--check', 'write nothing; exit 1 listing each stale Dockerfile with a diff, and each orphaned one')
      .option('--force', 'overwrite Dockerfiles that lack the generated header (hand-written ones)')
      .option('--prune', 'also delete Dockerfiles generated from this stages.yaml that no service writes any more')
      .option('--json', 'the result as JSON on stdout: files with their state, orphans, diagnostics')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ stagec compile',
          '  $ stagec compile --service api --service web',
          '  $ stagec compile --check    # in CI: fail when Dockerfiles drift from stages.yaml, or are orphaned',
          '  $ stagec compile --prune    # after removing or moving a service: delete its old Dockerfile',
          '  $ stagec compile --check --json | jq -r \'.files[] | select(.state != "unchanged") | .path\'',
          '',
          'A Dockerfile is orphaned when its generated header names this stages.yaml (by its path',
          'relative to the Dockerfile) and no service writes it any more. The search walks the',
          'folder of stages.yaml, skipping node_modules and .git, and never follows symlinks;',
          '--prune also removes the folder that held it when nothing else is left in it.',
        ].join('\n'),
      ),
  ).action((flags: CompileFlags) => setExit(runCompile(io, flags)));
}

interface JsonReport {
  ok: boolean;
  files: { service: string; path: string; state: string }[];
  orphans: { path: string; service: string; state: 'orphaned' | 'pruned' }[];
  diagnostics: Diagnostic[];
}

export function runCompile(io: Io, flags: CompileFlags): number {
  // With --json, diagnostics go into the report, not to stderr.
  const collected: Diagnostic[] = [];
  const compiled = compileConfig(io, flags.config, flags.service, { folders: true, ...(flags.json ? { collect: collected } : {}) });
  const json: JsonReport = { ok: false, files: [], orphans: [], diagnostics: collected };
  const finish = (code: number): number => {
    if (flags.json) io.stdout.write(`${JSON.stringify({ ...json, ok: code === EXIT.ok }, null, 2)}\n`);
    return code;
  };
  if (!compiled) return finish(EXIT.failed);
  const { config, result } = compiled;
  const files = planFiles(config.root, result.dockerfiles.map((d) => ({ service: d.service, path: d.path, text: d.text })));
  json.files = files.map((f) => ({ service: f.service, path: f.path, state: f.state }));
  // Every service's Dockerfile counts as owned, also with --service: only the others' are orphans.
  const owned = (result.project?.services ?? []).map((s) => `${config.root}/${s.dockerfile}`);
  const search = flags.check || flags.prune || !flags.service?.length ? findOrphans(config.root, config.path, owned) : { orphans: [], truncated: false };
  json.orphans = search.orphans.map((o) => ({ path: o.path, service: o.service, state: 'orphaned' }));
  const out = flags.json ? { write: () => true } : io.stdout;
  const style = styler(io, io.stdout);
  // Where the service named in an orphan's header writes now, if it still exists (a moved path).
  const now = new Map((result.project?.services ?? []).map((s) => [s.name, s.dockerfile]));
  const describe = (o: Orphan): string => (now.has(o.service) ? `service "${o.service}" now writes ${now.get(o.service)}` : `service "${o.service}" is no longer in stages.yaml`);
  if (flags.check) return finish(check(io, out, files, search, style, describe));

  // Nothing is written when any file is refused: the workspace stays exactly as it was.
  const blocked = files.filter((f) => f.state === 'outside' || f.state === 'blocked' || (f.state === 'hand-written' && !flags.force));
  if (blocked.length > 0) {
    json.diagnostics = [...json.diagnostics, ...blocked.map((f) => refusal(f, config.display, result.source))];
    if (!flags.json) reportDiagnostics(io, json.diagnostics.slice(-blocked.length), config.text);
    return finish(EXIT.failed);
  }
  let written = 0;
  for (const file of files) {
    if (file.state === 'unchanged') {
      if (io.verbosity === 'verbose') out.write(`${style('dim', 'unchanged')} ${file.path}\n`);
      continue;
    }
    try {
      writeAtomic(file.absolute, file.content);
    } catch (error) {
      const d = writeFailed(file.path, error as NodeJS.ErrnoException);
      json.diagnostics = [...json.diagnostics, d];
      if (!flags.json) reportDiagnostics(io, [d]);
      return finish(EXIT.failed);
    }
    written++;
    if (io.verbosity !== 'quiet') out.write(`${style('bold', file.state === 'new' ? 'created' : 'updated')} ${file.path}\n`);
  }
  let pruned = 0;
  if (flags.prune) {
    for (const orphan of search.orphans) {
      const refused = removeGenerated(orphan.absolute, config.root, config.path);
      if (refused) {
        if (!flags.json) io.stderr.write(`stagec: kept ${orphan.path}: ${refused === 'outside' ? 'it resolves outside the workspace' : refused === 'not-ours' ? 'it changed since the search and no longer names this config' : 'it is no longer a regular file'}\n`);
        continue;
      }
      pruned++;
      json.orphans.find((o) => o.path === orphan.path)!.state = 'pruned';
      if (io.verbosity !== 'quiet') out.write(`${style('bold', 'deleted')} ${orphan.path} ${style('dim', `(${describe(orphan)})`)}\n`);
    }
  } else if (!flags.json) {
    reportOrphans(io, search, 'warning', describe);
  }
  const unchanged = files.length - written;
  if (io.verbosity !== 'quiet') out.write(`${written} written, ${unchanged} unchanged${pruned ? `, ${pruned} pruned` : ''} (${files.length} Dockerfile${files.length === 1 ? '' : 's'})\n`);
  return finish(EXIT.ok);
}

function reportOrphans(io: Io, search: OrphanSearch, severity: 'warning' | 'error', describe: (o: Orphan) => string): void {
  if (search.truncated) io.stderr.write(`stagec: the search for orphaned Dockerfiles stopped after its cap of entries; some may be missed\n`);
  if (search.orphans.length === 0 || (severity === 'warning' && io.verbosity === 'quiet')) return;
  reportDiagnostics(io, search.orphans.map((o) => orphanDiagnostic(o, severity, describe(o))));
}

const orphanDiagnostic = (o: Orphan, severity: 'warning' | 'error', why: string): Diagnostic => ({
  code: 'ORPHANED_DOCKERFILE',
  severity,
  message: `${o.path} was generated from this stages.yaml, and no service writes it any more: ${why}`,
  file: o.path,
  line: 1,
  column: 1,
  endLine: 1,
  endColumn: 1,
  hint: 'run `stagec compile --prune` to delete it',
});

/** Why a file is not written, pointing at the service's dockerfile (or path) in stages.yaml. */
function refusal(file: PlannedFile, display: string, source: SourceIndex): Diagnostic {
  const at = ['services', file.service];
  const field = source.scalarText([...at, 'dockerfile']) !== undefined ? 'dockerfile' : 'path';
  const position = source.position([...at, field]);
  const [code, message, hint]: [Diagnostic['code'], string, string] =
    file.state === 'outside'
      ? ['PATH_OUTSIDE_WORKSPACE', `${file.path} resolves outside the workspace (through a symlink); not written`, 'point the path at a real folder inside the workspace']
      : file.state === 'blocked'
        ? ['WRITE_FAILED', `cannot write ${file.path}: ${file.blockedBy === 'folder-in-place' ? 'a folder is in its place' : 'a parent of it is a file, not a folder'}`, `move that away, or give service "${file.service}" another ${field}`]
        : ['HAND_WRITTEN_FILE', `${file.path} exists and was not generated by stagec; not overwritten`, 'move it away, or pass --force to replace it'];
  return { code, severity: 'error', message, file: display, ...position, hint };
}

function writeFailed(path: string, error: NodeJS.ErrnoException): Diagnostic {
  const reason = error.code === 'ENOTDIR' || error.code === 'EEXIST' ? 'a parent of it is a file, not a folder' : error.message;
  return { code: 'WRITE_FAILED', severity: 'error', message: `cannot write ${path}: ${reason}`, file: path, line: 0, column: 0, endLine: 0, endColumn: 0 };
}

function check(io: Io, out: Io['stdout'], files: PlannedFile[], search: OrphanSearch, style: ReturnType<typeof styler>, describe: (o: Orphan) => string): number {
  const stale = files.filter((f) => f.state !== 'unchanged');
  for (const file of stale) {
    const patch = createTwoFilesPatch(`a/${file.path}`, `b/${file.path}`, file.previous ?? '', file.content, undefined, undefined, { context: 3 });
    out.write(`${style('warning', `${file.state === 'new' ? 'missing' : file.state}:`)} ${file.path}\n`);
    out.write(patch.split('\n').slice(1).join('\n'));
  }
  for (const orphan of search.orphans) out.write(`${style('warning', 'orphaned:')} ${orphan.path} (${describe(orphan)})\n`);
  if (out === io.stdout) reportOrphans(io, search, 'error', describe);
  if (stale.length === 0 && search.orphans.length === 0) {
    if (io.verbosity !== 'quiet') out.write(`${files.length} Dockerfile${files.length === 1 ? '' : 's'} up to date\n`);
    return EXIT.ok;
  }
  if (out === io.stdout) {
    const parts = [stale.length && `${stale.length} of ${files.length} Dockerfiles are stale`, search.orphans.length && `${search.orphans.length} orphaned`].filter(Boolean).join(', ');
    io.stderr.write(`${parts}; run \`stagec compile${search.orphans.length ? ' --prune' : ''}\` and commit the result\n`);
  }
  return EXIT.failed;
}
