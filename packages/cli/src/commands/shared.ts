import type { Command } from 'commander';
import { compile, type CompileResult } from '@stagec/core';
import { readConfig, type ConfigFile } from '../config';
import { readLockFile } from '../lockfile';
import { UsageError, type Io } from '../io';
import { reportDiagnostics } from '../report';

export const configOption = (command: Command): Command =>
  command.option('-c, --config <file>', 'stages.yaml to read (default: the nearest one from the working directory up)');

export interface Compiled {
  config: ConfigFile;
  result: CompileResult;
}

/**
 * Reads and compiles stages.yaml (pinned by its stages.lock, if one exists), reporting every
 * diagnostic; undefined when there were errors. `lockRequired`: an image without a lock entry is an error.
 */
export function compileConfig(io: Io, configPath: string | undefined, services?: readonly string[], options: { lockRequired?: boolean } = {}): Compiled | undefined {
  const config = readConfig(io.cwd, configPath);
  if ('diagnostics' in config) {
    reportDiagnostics(io, config.diagnostics);
    return undefined;
  }
  const lockFile = readLockFile(io.cwd, config);
  if (lockFile.diagnostics.length > 0) {
    reportDiagnostics(io, lockFile.diagnostics, lockFile.text);
    return undefined;
  }
  const lock = lockFile.lock ? { lock: lockFile.lock, lockFile: lockFile.display, lockRequired: options.lockRequired ?? false } : {};
  const result = compile(config.text, { file: config.display, ...(services?.length ? { services } : {}), ...lock });
  reportDiagnostics(io, result.diagnostics, config.text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  // A service named on the command line that does not exist is a usage error (exit 2), already reported.
  if (errors.length > 0 && errors.every((d) => d.code === 'UNKNOWN_SERVICE' && d.line === 0)) throw new UsageError('');
  return result.failed ? undefined : { config, result };
}
