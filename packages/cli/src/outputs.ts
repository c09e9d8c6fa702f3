import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEFAULT_MAX_CONFIG_SIZE,
  emitIgnoreFile,
  isGenerated,
  lockPathFor,
  type CompileResult,
  type Diagnostic,
  type SourceIndex,
  type YamlPath,
} from '@stagec/core';
import type { ConfigFile } from './config';
import type { FolderListings } from './listing';
import { under } from './paths';
import { readRegular } from './read';
import { planWrites, type CommitFailure, type PlannedWrite, type RefusalReason, type WriteRequest } from './write';

/** The write requests for a compile's Dockerfiles: named by stages.yaml, so inside the workspace. */
function dockerfileRequests(result: CompileResult, config: ConfigFile, force = false): WriteRequest[] {
  return result.dockerfiles.map((d) => ({
    display: d.path,
    absolute: under(config.root, d.path),
    content: d.text,
    origin: new NamedBy(result.source, d.service),
    scope: 'workspace',
    replace: force ? 'force' : 'generated',
    isGenerated,
    service: d.service,
  }));
}

/**
 * The Dockerfile-specific ignore files of pruned contexts (docs/contexts.md), each built on its
 * context's own `.dockerignore` (read through the one read path; a missing one is no rules).
 */
function ignoreFileRequests(result: CompileResult, config: ConfigFile, maxBytes = DEFAULT_MAX_CONFIG_SIZE): WriteRequest[] {
  const configName = config.display.split(/[\\/]/).pop() ?? config.display;
  return result.contexts.map((c) => {
    const read = readRegular(join(config.root, c.context, '.dockerignore'), maxBytes);
    const base = read.ok ? read.bytes.toString('utf8') : undefined;
    // What is a plain file on disk (an `include` entry may be either): no re-include can reach below it.
    const files = c.entries.filter((e) => {
      try {
        return lstatSync(join(config.root, c.context, e)).isFile();
      } catch {
        return c.files.includes(e);
      }
    });
    return {
      display: c.ignoreFile,
      absolute: resolve(config.root, c.ignoreFile),
      content: emitIgnoreFile({ ...c, files }, base, configName),
      origin: new NamedBy(result.source, c.service),
      scope: 'workspace',
      replace: 'generated',
      isGenerated,
      service: c.service,
    };
  });
}

/** Each pruned service's ignore file, for the engines that must be told (plan and build). */
export const ignoreFilesOf = (result: CompileResult): Record<string, string> =>
  Object.fromEntries(result.contexts.map((c) => [c.service, c.ignoreFile]));

/**
 * A service file's origin, for refusals to point at: which stages.yaml value named it is looked
 * up when a diagnostic reads it, not for each of thousands of files that are written fine (one
 * small object per file; a closure with a getter was three).
 */
class NamedBy {
  readonly #source: SourceIndex;
  readonly #service: string;
  #path: YamlPath | undefined;
  constructor(source: SourceIndex, service: string) {
    this.#source = source;
    this.#service = service;
  }

  get yaml(): YamlPath {
    return (this.#path ??= namingField(this.#source, this.#service));
  }
}

/** The stages.yaml value that names a service's Dockerfile: its `dockerfile` if set, else its `path`. */
function namingField(source: SourceIndex, service: string): (string | number)[] {
  const at = ['services', service];
  if (source.scalarText([...at, 'dockerfile']) !== undefined) return [...at, 'dockerfile'];
  if (source.scalarText(['defaults', 'dockerfile']) !== undefined) return ['defaults', 'dockerfile'];
  return [...at, 'path'];
}

/**
 * The stale-file check of compile --check, build (real and --dry-run), and any command that
 * needs the Dockerfiles to match stages.yaml: each of the given services' Dockerfiles planned
 * against the disk (nothing written). A file is fresh when its state is 'unchanged' and it has
 * no refusal.
 */
export function checkDockerfiles(
  compiled: { config: ConfigFile; result: CompileResult },
  options: { services?: readonly string[]; force?: boolean; maxBytes?: number; listings?: FolderListings } = {},
): PlannedWrite[] {
  const wanted = options.services ? new Set(options.services) : undefined;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_CONFIG_SIZE;
  let requests = dockerfileRequests(compiled.result, compiled.config, options.force);
  // One by one: a spread into push() overflows the stack past ~120,000 arguments.
  for (const request of ignoreFileRequests(compiled.result, compiled.config, maxBytes)) requests.push(request);
  if (wanted) requests = requests.filter((r) => wanted.has(r.service!));
  // stages.lock is an input even before it exists (a Dockerfile written there would be read back as the lock).
  return planWrites(requests, {
    root: compiled.config.root,
    inputs: [compiled.config.path, lockPathFor(compiled.config.path)],
    maxBytes,
    ...(options.listings ? { listings: options.listings } : {}),
  });
}

export const isFresh = (file: PlannedWrite): boolean => file.state === 'unchanged' && !file.refusal;

const CODES: Record<RefusalReason, Diagnostic['code']> = {
  outside: 'PATH_OUTSIDE_WORKSPACE',
  symlink: 'WRITE_FAILED',
  special: 'WRITE_FAILED',
  'folder-in-place': 'WRITE_FAILED',
  'file-as-parent': 'WRITE_FAILED',
  'no-folder': 'WRITE_FAILED',
  'name-too-long': 'WRITE_FAILED',
  input: 'WRITE_FAILED',
  'same-file': 'DUPLICATE_DOCKERFILE',
  'hand-written': 'HAND_WRITTEN_FILE',
  'too-large': 'WRITE_FAILED',
  unreadable: 'WRITE_FAILED',
};

function hintFor(file: PlannedWrite, field: string): string {
  const other = file.service ? `, or give service "${file.service}" another ${field}` : '';
  switch (file.refusal!.reason) {
    case 'outside':
      return 'point the path at a real folder inside the workspace';
    case 'hand-written':
      return file.origin && 'flag' in file.origin
        ? 'write to another file, or move this one away'
        : 'move it away, or pass --force to replace it';
    case 'input':
      return `stagec never overwrites its own input${other}`;
    case 'same-file':
      return 'two names lead to one file through a symbolic link; give each service its own folder';
    case 'no-folder':
      return 'create the folder first, or pick another path';
    default:
      return `move that away${other}`;
  }
}

/** Where a diagnostic about a planned file points: the stages.yaml value that named it, or (for a flag) no position. */
function at(
  file: PlannedWrite,
  config?: Pick<ConfigFile, 'display'>,
  source?: SourceIndex,
): Pick<Diagnostic, 'file' | 'line' | 'column' | 'endLine' | 'endColumn'> {
  if ('yaml' in file.origin && source && config) return { file: config.display, ...source.position(file.origin.yaml) };
  return { file: file.display };
}

/** One diagnostic per refused target, each pointing at what named it. */
export function refusalDiagnostics(
  files: readonly PlannedWrite[],
  config?: Pick<ConfigFile, 'display'>,
  source?: SourceIndex,
): Diagnostic[] {
  return files
    .filter((f) => f.refusal)
    .map((f) => {
      const field = 'yaml' in f.origin ? String(f.origin.yaml.at(-1)) : f.origin.flag;
      return {
        code: CODES[f.refusal!.reason],
        severity: 'error',
        message: `${f.display}: ${f.refusal!.detail}; not written`,
        ...at(f, config, source),
        hint: hintFor(f, field),
      };
    });
}

/** A write that failed after the checks passed: what failed, and what was put back. */
export function commitFailureDiagnostic(failure: CommitFailure, config?: Pick<ConfigFile, 'display'>, source?: SourceIndex): Diagnostic {
  const undone = failure.restored.length ? `; restored ${failure.restored.map((f) => f.display).join(', ')} as they were` : '';
  const lost = failure.unrestored.length
    ? `; could NOT restore ${failure.unrestored.map((u) => `${u.file.display} (${u.message})`).join(', ')}`
    : '';
  return {
    code: 'WRITE_FAILED',
    severity: 'error',
    message: `cannot write ${failure.file.display}: ${failure.message}${undone}${lost}${lost ? '' : '; no file was changed'}`,
    ...at(failure.file, config, source),
    hint: failure.unrestored.length ? 'check the files named above by hand' : 'fix the cause and run again',
  };
}
