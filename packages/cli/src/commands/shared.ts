import { Option, type Command } from 'commander';
import { compile, DEFAULT_MAX_CONFIG_SIZE, type CompileResult } from '@stagec/core';
import { readConfig, type ConfigFile } from '../config';
import { readLockFile } from '../lockfile';
import { UsageError, type Io } from '../io';
import { parseSize } from '../read';
import { reportDiagnostics } from '../report';

/** The options every command that reads stages.yaml takes. */
export interface ConfigFlags {
  config?: string;
  maxConfigSize?: number;
}

export const configOption = (command: Command): Command =>
  command
    .option('-c, --config <file>', 'stages.yaml to read (default: the nearest one from the working directory up)', (value: string) => {
      if (value.trim() === '') throw new UsageError('-c/--config needs a file name, got an empty string');
      return value;
    })
    .addOption(
      new Option('--max-config-size <size>', `refuse a stages.yaml larger than this, before parsing (bytes, or 64K, 32M, 1G)`)
        .env('STAGEC_MAX_CONFIG_SIZE')
        .default(DEFAULT_MAX_CONFIG_SIZE, `${DEFAULT_MAX_CONFIG_SIZE / 2 ** 20}M`)
        .argParser((value: string) => {
          const bytes = parseSize(value);
          if (bytes === undefined) throw new UsageError(`--max-config-size expects a size such as 8M or 1048576, got "${value}"`);
          return bytes;
        }),
    );

export interface Compiled {
  config: ConfigFile;
  result: CompileResult;
}

/**
 * Reads and compiles stages.yaml (pinned by its stages.lock, if one exists), reporting every
 * diagnostic; undefined when there were errors. `lockRequired`: an image without a lock entry is an error.
 */
export function compileConfig(io: Io, flags: ConfigFlags | string | undefined, services?: readonly string[], options: { lockRequired?: boolean } = {}): Compiled | undefined {
  // A bare path (older callers) means the default size cap.
  const { config: path, maxConfigSize } = typeof flags === 'object' ? flags : { config: flags, maxConfigSize: undefined };
  const config = readConfig(io.cwd, path, maxConfigSize);
  if ('diagnostics' in config) {
    reportDiagnostics(io, config.diagnostics);
    return undefined;
  }
  const lockFile = readLockFile(io.cwd, config, maxConfigSize);
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
