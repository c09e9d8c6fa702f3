import type { Command } from 'commander';
import { compile, sortDiagnostics, type CompileResult, type Diagnostic } from '@stagec/core';
import { readConfig, type ConfigFile } from '../config';
import { UsageError, type Io } from '../io';
import { missingFolders } from '../folders';
import { reportDiagnostics } from '../report';

export const configOption = (command: Command): Command =>
  command.option('-c, --config <file>', 'stages.yaml to read (default: the nearest one from the working directory up)');

export interface Compiled {
  config: ConfigFile;
  result: CompileResult;
}

/** Reads and compiles stages.yaml, reporting every diagnostic; undefined when there were errors. */
export function compileConfig(io: Io, configPath: string | undefined, services?: readonly string[], options: { collect?: Diagnostic[]; folders?: boolean } = {}): Compiled | undefined {
  const { collect } = options;
  // `collect` (for --json) receives the diagnostics instead of stderr.
  const report = (diagnostics: Diagnostic[], text?: string): void => {
    if (collect) collect.push(...diagnostics);
    else reportDiagnostics(io, diagnostics, text);
  };
  const config = readConfig(io.cwd, configPath);
  if ('diagnostics' in config) {
    report(config.diagnostics);
    return undefined;
  }
  const result = compile(config.text, { file: config.display, ...(services?.length ? { services } : {}) });
  // Only where files are written (compile): other commands read what is there.
  if (options.folders && !result.failed) result.diagnostics = sortDiagnostics([...result.diagnostics, ...missingFolders(config, result)]);
  report(result.diagnostics, config.text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  // A service named on the command line that does not exist is a usage error (exit 2), already reported.
  if (errors.length > 0 && errors.every((d) => d.code === 'UNKNOWN_SERVICE' && d.line === 0)) throw new UsageError(collect ? errors.map((e) => e.message).join('\n') : '');
  return result.failed ? undefined : { config, result };
}

/**
 * For plan and build: compile with the diagnostics held back, so that once the commands know
 * which services they build, `report(services)` prints only the warnings about those (and the
 * ones about the whole file). Errors are always printed at once.
 */
export function compileQuietly(io: Io, configPath: string | undefined): { compiled: Compiled | undefined; report: (services: ReadonlySet<string>) => void } {
  const collected: Diagnostic[] = [];
  const compiled = compileConfig(io, configPath, undefined, { collect: collected });
  const text = compiled?.config.text;
  if (!compiled) reportDiagnostics(io, collected, readSource(io, configPath));
  return {
    compiled,
    report: (services) => {
      const relevant = collected.filter((d) => d.severity === 'error' || !d.services || d.services.some((s) => services.has(s)));
      reportDiagnostics(io, relevant, text);
    },
  };
}

/** The config text for code frames when compiling failed (the compile result is gone). */
function readSource(io: Io, configPath: string | undefined): string | undefined {
  const config = readConfig(io.cwd, configPath);
  return 'text' in config ? config.text : undefined;
}
