import type { Command } from 'commander';
import { compile } from '@stagec/core';
import { readConfig } from '../config';
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
    const diagnostics = 'diagnostics' in config ? config.diagnostics : compile(config.text, { file: config.display }).diagnostics;
    const failed = diagnostics.some((d) => d.severity === 'error');
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ ok: !failed, diagnostics }, null, 2)}\n`);
    } else {
      reportDiagnostics(io, diagnostics, 'text' in config ? config.text : undefined);
      if (!failed) io.stdout.write(`${'display' in config ? config.display : 'stages.yaml'} is valid\n`);
    }
    setExit(failed ? EXIT.failed : EXIT.ok);
  });
}
