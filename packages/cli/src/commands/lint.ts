import { Option, type Command } from 'commander';
import { compile, lintProject, type Severity } from '@stagec/core';
import { readConfig } from '../config';
import { readLockFile } from '../lockfile';
import { EXIT, styler, UsageError, type Io } from '../io';
import { fails, formatGithub, formatJson, formatText, type LintFormat, type LintReport } from '../lint-format';
import { reportDiagnostics } from '../report';
import { configOption, type ConfigFlags } from './shared';

interface LintFlags extends ConfigFlags {
  service?: string[];
  format: LintFormat;
  failOn: Severity;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const EXAMPLES = `
Examples:
  $ stagec lint                                  # every service; exit 1 on any finding
  $ stagec lint --service api --service worker   # only what these two services build
  $ stagec lint --fail-on error                  # warnings are printed, only errors fail
  $ stagec lint --format github                  # annotations on the PR's stages.yaml lines
  $ stagec lint --format json | jq '.findings[] | select(.kind == "policy")'

Rules, the policy block and lint.ignore: docs/lint.md.
Exit codes: 0 nothing at or above --fail-on, 1 findings (or stages.yaml does not compile), 2 usage error.`;

export function registerLint(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('lint')
      .description('check stages.yaml against best practice and the policy block; findings point at the stages.yaml value to change')
      .option('-s, --service <name>', 'lint only this service (repeatable; default: all)', collect)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'github']).default('text'))
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['warning', 'error']).default('warning'))
      .addHelpText('after', EXAMPLES),
  ).action((flags: LintFlags) => {
    const config = readConfig(io.cwd, flags.config, flags.maxConfigSize);
    if ('diagnostics' in config) {
      reportDiagnostics(io, config.diagnostics);
      return setExit(EXIT.failed);
    }
    // With a stages.lock, external images arrive pinned, as compile emits them: requireDigests counts them.
    const lockFile = readLockFile(io.cwd, config, flags.maxConfigSize);
    if (lockFile.diagnostics.length > 0) {
      reportDiagnostics(io, lockFile.diagnostics, lockFile.text);
      return setExit(EXIT.failed);
    }
    const lock = lockFile.lock ? { lock: lockFile.lock, lockFile: lockFile.display } : {};
    const result = compile(config.text, { file: config.display, ...(flags.service?.length ? { services: flags.service } : {}), ...lock });
    if (result.failed || !result.project) {
      // Lint judges the resolved model: without one there is nothing to lint. Only errors are
      // shown; compile's warnings belong to compile and validate.
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      reportDiagnostics(io, errors, config.text);
      if (errors.every((d) => d.code === 'UNKNOWN_SERVICE' && d.line === 0)) throw new UsageError('');
      return setExit(EXIT.failed);
    }
    const services = flags.service?.length ? [...new Set(flags.service)].sort() : result.project.services.map((s) => s.name);
    const findings = lintProject(result.project, result.config!, result.source, { services });
    const report: LintReport = { file: config.display, services, failOn: flags.failOn, findings };
    if (flags.format === 'json') io.stdout.write(formatJson(report));
    else if (flags.format === 'github') io.stdout.write(formatGithub(report));
    else io.stdout.write(formatText(report, config.text, styler(io, io.stdout)));
    setExit(fails(findings, flags.failOn) ? EXIT.failed : EXIT.ok);
  });
}
