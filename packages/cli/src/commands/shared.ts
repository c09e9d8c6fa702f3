import { Option, type Command } from 'commander';
import { compile, DEFAULT_MAX_CONFIG_SIZE, isUsageError, sortDiagnostics, type CompileResult, type Diagnostic } from '@stagec/core';
import { readConfig, type ConfigFile } from '../config';
import { missingFolders } from '../folders';
import type { FolderListings } from '../listing';
import { readLockFile } from '../lockfile';
import { UsageError, type Io } from '../io';
import { parseSize } from '../read';
import { detectWorkspace } from '../workspace';
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
 * diagnostic; undefined when there were errors. `lockRequired`: an image without a lock entry is
 * an error. `collect` (for --json) receives the diagnostics instead of stderr; `folders` adds
 * MISSING_FOLDER (compile only; its folder listings, when given, are shared with the rest of the run).
 */
export function compileConfig(
  io: Io,
  flags: ConfigFlags | string | undefined,
  services?: readonly string[],
  options: { collect?: Diagnostic[]; folders?: boolean | FolderListings; lockRequired?: boolean } = {},
): Compiled | undefined {
  const { collect } = options;
  const report = (diagnostics: Diagnostic[], text?: string): void => {
    if (collect) collect.push(...diagnostics);
    else reportDiagnostics(io, diagnostics, text);
  };
  // A bare path (older callers) means the default size cap.
  const { config: path, maxConfigSize } = typeof flags === 'object' ? flags : { config: flags, maxConfigSize: undefined };
  const config = readConfig(io.cwd, path, maxConfigSize);
  if ('diagnostics' in config) {
    report(config.diagnostics);
    return undefined;
  }
  const detected = detectWorkspace(config.root);
  const lockFile = readLockFile(io.cwd, config, maxConfigSize);
  if (lockFile.diagnostics.length > 0) {
    report(lockFile.diagnostics, lockFile.text);
    return undefined;
  }
  const lock = lockFile.lock ? { lock: lockFile.lock, lockFile: lockFile.display, lockRequired: options.lockRequired ?? false } : {};
  const result = compile(config.text, {
    file: config.display,
    ...(services?.length ? { services } : {}),
    ...lock,
    ...(detected.workspace ? { workspace: detected.workspace } : {}),
  });
  // Workspace warnings matter only where a context could be pruned.
  const prunes = result.project?.services.some((s) => s.contextOptions?.prune && (s.contextOptions.explicit || s.context === '.'));
  if (prunes) report(detected.diagnostics);
  // Only where files are written (compile): other commands read what is there.
  if (options.folders && !result.failed) {
    const listings = options.folders === true ? undefined : options.folders;
    result.diagnostics = sortDiagnostics([...result.diagnostics, ...missingFolders(config, result, listings)]);
  }
  // A service named on the command line that does not exist: a usage error, which run() reports (exit 2).
  if (isUsageError(result.diagnostics)) throw new UsageError('a name on the command line does not exist', result.diagnostics, config.text);
  report(result.diagnostics, config.text);
  return result.failed ? undefined : { config, result };
}

/**
 * For plan and build: compile with the diagnostics held back, so that once the commands know
 * which services they build, `report(services)` prints only the warnings about those (and the
 * ones about the whole file). Errors are always printed at once.
 */
export function compileQuietly(
  io: Io,
  flags: ConfigFlags,
): { compiled: Compiled | undefined; report: (services: ReadonlySet<string>) => void } {
  const collected: Diagnostic[] = [];
  const compiled = compileConfig(io, flags, undefined, { collect: collected });
  const text = compiled?.config.text;
  if (!compiled) reportDiagnostics(io, collected, readSource(io, flags));
  return {
    compiled,
    report: (services) => {
      const relevant = collected.filter((d) => d.severity === 'error' || !d.services || d.services.some((s) => services.has(s)));
      reportDiagnostics(io, relevant, text);
    },
  };
}

/** The config text for code frames when compiling failed (the compile result is gone). */
function readSource(io: Io, flags: ConfigFlags): string | undefined {
  const config = readConfig(io.cwd, flags.config, flags.maxConfigSize);
  return 'text' in config ? config.text : undefined;
}
