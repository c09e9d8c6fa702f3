import type { Command } from 'commander';
import { compile, sortDiagnostics, type Diagnostic } from '@stagec/core';
import { missingFolders } from '../folders';
import { readConfig } from '../config';
import { detectWorkspace } from '../workspace';
import { readLockFile } from '../lockfile';
import { EXIT, type Io } from '../io';
import { reportDiagnostics } from '../report';
import { configOption, type ConfigFlags } from './shared';

export function registerValidate(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('validate')
      .description('check stages.yaml (schema and semantics), report every diagnostic, write nothing')
      .option('--json', 'diagnostics as JSON on stdout')
      .addHelpText('after', '\nExamples:\n  $ stagec validate\n  $ stagec validate --json | jq \'.diagnostics[] | select(.severity == "error")\''),
  ).action((flags: ConfigFlags & { json?: boolean }) => {
    const config = readConfig(io.cwd, flags.config, flags.maxConfigSize);
    // stages.lock, if there is one, is checked too: its own diagnostics point into it.
    const lockFile = 'diagnostics' in config ? undefined : readLockFile(io.cwd, config, flags.maxConfigSize);
    const lock = lockFile?.lock ? { lock: lockFile.lock, lockFile: lockFile.display } : {};
    let own: Diagnostic[];
    if ('diagnostics' in config) own = config.diagnostics;
    else {
      // The workspace too: a manifests step and pruned contexts are checked as compile checks them.
      const { workspace } = detectWorkspace(config.root);
      const result = compile(config.text, { file: config.display, ...lock, ...(workspace ? { workspace } : {}) });
      own = result.failed ? result.diagnostics : sortDiagnostics([...result.diagnostics, ...missingFolders(config, result)]);
    }
    const diagnostics = [...(lockFile?.diagnostics ?? []), ...own];
    const failed = diagnostics.some((d) => d.severity === 'error');
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ok: !failed, diagnostics }, null, 2)}\n`);
    } else {
      if (lockFile?.diagnostics.length) reportDiagnostics(io, lockFile.diagnostics, lockFile.text);
      reportDiagnostics(io, own, 'text' in config ? config.text : undefined);
      if (!failed) io.stdout.write(`${'display' in config ? config.display : 'stages.yaml'} is valid\n`);
    }
    setExit(failed ? EXIT.failed : EXIT.ok);
  });
}
