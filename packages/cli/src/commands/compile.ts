import type { Command } from 'commander';
import { DEFAULT_MAX_CONFIG_SIZE, type Diagnostic } from '@stagec/core';
import { EXIT, styler, type Io } from '../io';
import { FolderListings } from '../listing';
import { diff } from '../lazy';
import { findOrphans, orphanRequests, removeEmptyFolder, type Orphan, type OrphanSearch } from '../orphans';
import { checkDockerfiles, commitFailureDiagnostic, refusalDiagnostics } from '../outputs';
import { reportDiagnostics } from '../report';
import { commitWrites, planWrites, type PlannedWrite } from '../write';
import { compileConfig, configOption, type ConfigFlags } from './shared';

interface CompileFlags extends ConfigFlags {
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
      .description(
        'write one Dockerfile per service, and an ignore file for each pruned root context (only files whose content changed; all or none)',
      )
      .option('--service <name>', 'only this service (repeatable)', (v: string, all: string[] = []) => [...all, v])
      .option(
        '--check',
        'write nothing; exit 1 listing each stale Dockerfile or ignore file with a diff, each orphaned one (and, with a stages.lock, each image it lacks)',
      )
      .option(
        '--force',
        'overwrite Dockerfiles that lack the generated header (hand-written ones); never stages.yaml, never through a symlink',
      )
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
          'Every target is checked before the first write (inside the workspace, a regular file or',
          'absent, not stages.yaml); then all files are written to temp files and renamed into place.',
          '',
          'A Dockerfile is orphaned when its generated header names this stages.yaml (by its path',
          'relative to the Dockerfile) and no service writes it any more. The search walks the',
          'folder of stages.yaml, skipping node_modules and .git, and never follows symlinks;',
          '--prune deletes them through the same checks, all or none, and removes a folder it empties.',
          '',
          'A workspace package built from the workspace root (context: .) in an npm, pnpm or yarn workspace gets',
          '<dockerfile>.dockerignore, which keeps only its folder, its local dependencies and the root',
          'manifest, lockfile and shared configuration (docs/contexts.md).',
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

function runCompile(io: Io, flags: CompileFlags): number {
  // With --json, diagnostics go into the report, not to stderr.
  const collected: Diagnostic[] = [];
  // Each folder read once for the whole run: MISSING_FOLDER, the write plan and the orphan search.
  const listings = new FolderListings();
  const compiled = compileConfig(io, flags, flags.service, {
    folders: listings,
    lockRequired: flags.check ?? false,
    ...(flags.json ? { collect: collected } : {}),
  });
  const json: JsonReport = { ok: false, files: [], orphans: [], diagnostics: collected };
  const finish = (code: number): number => {
    if (flags.json) io.stdout.write(`${JSON.stringify({ ...json, ok: code === EXIT.ok }, null, 2)}\n`);
    return code;
  };
  const report = (diagnostics: Diagnostic[], text?: string): void => {
    if (flags.json) json.diagnostics.push(...diagnostics);
    else reportDiagnostics(io, diagnostics, text);
  };
  if (!compiled) return finish(EXIT.failed);
  const { config, result } = compiled;
  const maxBytes = flags.maxConfigSize ?? DEFAULT_MAX_CONFIG_SIZE;
  const files = checkDockerfiles(compiled, { force: Boolean(flags.force), maxBytes, listings });
  // Only --json prints them: no object per file otherwise.
  if (flags.json)
    json.files = files.map((f) => ({ service: f.service ?? '', path: f.display, state: f.refusal ? f.refusal.reason : f.state }));
  // Every service's Dockerfile counts as owned, also with --service: only files no service writes are orphans.
  const owned = [
    ...(result.project?.services ?? []).map((s) => `${config.root}/${s.dockerfile}`),
    ...result.contexts.map((c) => `${config.root}/${c.ignoreFile}`),
  ];
  const search: OrphanSearch =
    flags.check || flags.prune || !flags.service?.length
      ? findOrphans(config.root, config.path, owned, listings)
      : { orphans: [], truncated: false };
  json.orphans = search.orphans.map((o) => ({ path: o.path, service: o.service, state: 'orphaned' }));
  const out = flags.json ? { write: () => true } : io.stdout;
  const style = styler(io, io.stdout);
  // Where the service named in an orphan's header writes now, if it still exists (a moved path).
  // Built when an orphan is described: most runs have none.
  let writing: Map<string, string> | undefined;
  const now = (service: string): string | undefined =>
    (writing ??= new Map((result.project?.services ?? []).map((s) => [s.name, s.dockerfile]))).get(service);
  const describe = (o: Orphan): string => {
    const writes = now(o.service);
    return writes !== undefined ? `service "${o.service}" now writes ${writes}` : `service "${o.service}" is no longer in stages.yaml`;
  };
  if (flags.check)
    return finish(check(io, out, files, search, style, describe, refusalDiagnostics(files, config, result.source), config.text, report));

  // Removals of orphans go through the same write path: same checks, same all-or-nothing commit.
  const removals = flags.prune
    ? planWrites(orphanRequests(search.orphans, config.path), { root: config.root, inputs: [config.path], maxBytes, listings })
    : [];
  const all = [...files, ...removals];
  // Nothing is written when any file is refused: the workspace stays exactly as it was.
  const refused = refusalDiagnostics(all, config, result.source);
  if (refused.length > 0) {
    report(refused, config.text);
    return finish(EXIT.failed);
  }
  const commit = commitWrites(all);
  if (commit.failure) {
    report([commitFailureDiagnostic(commit.failure, config, result.source)], config.text);
    return finish(EXIT.failed);
  }
  // One write for all the lines (thousands of files, thousands of writes otherwise); printed where they were before.
  const lines: string[] = [];
  if (io.verbosity === 'verbose') {
    const changed = new Set(commit.written);
    for (const file of files) if (!changed.has(file)) lines.push(`${style('dim', 'unchanged')} ${file.display}\n`);
  }
  let written = 0;
  let pruned = 0;
  // Styled once, not once per line (thousands of lines).
  const created = `${style('bold', 'created')} `;
  const updated = `${style('bold', 'updated')} `;
  for (const file of commit.written) {
    if (file.content !== null) {
      written++;
      if (io.verbosity !== 'quiet') lines.push(`${file.state === 'new' ? created : updated}${file.display}\n`);
      continue;
    }
    pruned++;
    const orphan = search.orphans.find((o) => o.path === file.display)!;
    json.orphans.find((o) => o.path === orphan.path)!.state = 'pruned';
    removeEmptyFolder(orphan.absolute, config.root);
    if (io.verbosity !== 'quiet') lines.push(`${style('bold', 'deleted')} ${orphan.path} ${style('dim', `(${describe(orphan)})`)}\n`);
  }
  if (lines.length) out.write(lines.join(''));
  if (!flags.prune && !flags.json) reportOrphans(io, search, 'warning', describe);
  if (io.verbosity !== 'quiet')
    out.write(`${written} written, ${files.length - written} unchanged${pruned ? `, ${pruned} pruned` : ''} (${count(files)})\n`);
  return finish(EXIT.ok);
}

function reportOrphans(io: Io, search: OrphanSearch, severity: 'warning' | 'error', describe: (o: Orphan) => string): void {
  if (search.truncated)
    io.stderr.write(`stagec: the search for orphaned Dockerfiles stopped after its cap of entries; some may be missed\n`);
  if (search.orphans.length === 0 || (severity === 'warning' && io.verbosity === 'quiet')) return;
  reportDiagnostics(
    io,
    search.orphans.map((o) => orphanDiagnostic(o, severity, describe(o))),
  );
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

/** --check: a diff per stale file, each orphan; a refused target is reported as a diagnostic, its content never shown. */
function check(
  io: Io,
  out: Io['stdout'],
  files: PlannedWrite[],
  search: OrphanSearch,
  style: ReturnType<typeof styler>,
  describe: (o: Orphan) => string,
  refused: Diagnostic[],
  text: string,
  report: (diagnostics: Diagnostic[], text?: string) => void,
): number {
  const stale = files.filter((f) => f.state !== 'unchanged' || f.refusal);
  for (const file of stale) {
    if (file.refusal && file.refusal.reason !== 'hand-written') continue;
    const patch = diff().createTwoFilesPatch(
      `a/${file.display}`,
      `b/${file.display}`,
      file.previous ?? '',
      file.content ?? '',
      undefined,
      undefined,
      { context: 3 },
    );
    out.write(`${style('warning', `${file.state === 'new' ? 'missing' : file.state}:`)} ${file.display}\n`);
    out.write(patch.split('\n').slice(1).join('\n'));
  }
  for (const orphan of search.orphans) out.write(`${style('warning', 'orphaned:')} ${orphan.path} (${describe(orphan)})\n`);
  const blocked = refused.filter((d) => d.code !== 'HAND_WRITTEN_FILE');
  if (blocked.length) report(blocked, text);
  if (out === io.stdout) reportOrphans(io, search, 'error', describe);
  if (stale.length === 0 && search.orphans.length === 0) {
    if (io.verbosity !== 'quiet') out.write(`${count(files)} up to date\n`);
    return EXIT.ok;
  }
  if (out === io.stdout) {
    const fixable = stale.length - blocked.length;
    const parts = [
      fixable && `${fixable} of ${files.length} ${noun(files)} are stale`,
      search.orphans.length && `${search.orphans.length} orphaned`,
    ]
      .filter(Boolean)
      .join(', ');
    if (parts) io.stderr.write(`${parts}; run \`stagec compile${search.orphans.length ? ' --prune' : ''}\` and commit the result\n`);
    if (blocked.length)
      io.stderr.write(
        `${blocked.length} of ${files.length} ${noun(files)} cannot be written (see above): \`stagec compile\` would refuse them too\n`,
      );
  }
  return EXIT.failed;
}

const noun = (files: readonly PlannedWrite[]): string => (files.some((f) => f.display.endsWith('.dockerignore')) ? 'files' : 'Dockerfiles');

/** "3 Dockerfiles" or "3 Dockerfiles, 2 ignore files": how many of each a run planned. */
function count(files: readonly PlannedWrite[]): string {
  let ignores = 0;
  for (const file of files) if (file.display.endsWith('.dockerignore')) ignores++;
  const dockerfiles = files.length - ignores;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return ignores ? `${plural(dockerfiles, 'Dockerfile')}, ${plural(ignores, 'ignore file')}` : plural(dockerfiles, 'Dockerfile');
}
