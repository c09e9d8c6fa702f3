import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  collectImages,
  compile,
  formatLock,
  parseImageName,
  parseLock,
  sortDiagnostics,
  uniquePlaces,
  type Diagnostic,
  type ImageUse,
  type Lock,
  type LockEntry,
  type SourceIndex,
} from '@stagec/core';
import { readConfig, type ConfigFile } from '../config';
import { detectWorkspace } from '../workspace';
import { EXIT, styler, UsageError, type Io } from '../io';
import { readLockFile, writeLockFile, type LockFile } from '../lockfile';
import type { Resolution } from '../registry/client';
import { authEnvProblem } from '../registry/credentials';
import { reportDiagnostics } from '../report';
import { configOption, type ConfigFlags } from './shared';
import { selectUpdates } from './lock-select';

interface LockFlags extends ConfigFlags {
  check?: boolean;
  update?: boolean | string[];
  timeout: number;
}

const seconds = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number of seconds above 0');
  return n;
};

export function registerLock(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('lock')
      .description(
        'resolve every external image in stages.yaml to its digest and write stages.lock; compile then pins them (image:tag@sha256:...)',
      )
      .option('--check', 'write nothing; re-resolve every image and exit 1 when a digest moved or the lock is incomplete')
      .option('--update [image...]', 'resolve again the images named (as written, or by repository: `debian`), or all of them')
      .option('--timeout <seconds>', 'per registry request', seconds, 30)
      .addHelpText(
        'after',
        [
          '',
          'References with variables (node:${NODE_VERSION}) are not pinned: a build-arg could change them.',
          'New references are resolved; entries already in stages.lock are kept until --update; unused ones are dropped.',
          'Credentials: STAGEC_REGISTRY_AUTH=\'{"host": {"username": "u", "password": "p"}}\', else Docker\'s config.json',
          '(DOCKER_CONFIG, credential helpers). localhost and 127.0.0.1 registries use http; STAGEC_INSECURE_REGISTRIES=host:port,... adds others.',
          '',
          'Examples:',
          '  $ stagec lock                         # resolve what stages.lock lacks, drop what is unused',
          '  $ stagec lock --update                # re-resolve every image (a tag moved)',
          '  $ stagec lock --update debian:bookworm-slim',
          '  $ stagec lock --check                 # CI: exit 1 when a digest moved',
          '  $ stagec lock && stagec compile       # after bumping a tag in stages.yaml',
        ].join('\n'),
      ),
  ).action(async (flags: LockFlags) => setExit(await runLock(io, flags)));
}

interface Place {
  reference: string;
  uses: ImageUse[];
}

async function runLock(io: Io, flags: LockFlags): Promise<number> {
  if (flags.check && flags.update) throw new UsageError('--check and --update exclude each other: --check writes nothing');
  const authProblem = authEnvProblem(io.env);
  if (authProblem) throw new UsageError(authProblem);
  const config = readConfig(io.cwd, flags.config, flags.maxConfigSize);
  if ('diagnostics' in config) {
    reportDiagnostics(io, config.diagnostics);
    return EXIT.failed;
  }
  // Unpinned: the lock is made from the references as written.
  const { workspace } = detectWorkspace(config.root);
  const result = compile(config.text, { file: config.display, ...(workspace ? { workspace } : {}) });
  reportDiagnostics(io, result.diagnostics, config.text);
  if (result.failed || !result.project) return EXIT.failed;
  const uses = collectImages(result.project, result.source);
  const places = new Map<string, Place>();
  for (const use of uses.lockable) {
    const place = places.get(use.reference) ?? { reference: use.reference, uses: [] };
    place.uses.push(use);
    places.set(use.reference, place);
  }
  const lockFile = readLockFile(io.cwd, config, flags.maxConfigSize);
  const updateAll = flags.update === true || flags.check === true;
  // A lock that no longer parses is rebuilt by --update (all); anything else refuses to guess.
  if (lockFile.diagnostics.length > 0 && flags.update !== true) {
    reportDiagnostics(io, lockFile.diagnostics, lockFile.text);
    return EXIT.failed;
  }
  if (flags.check && lockFile.text === undefined) {
    // Nothing to compare with: no need to ask any registry.
    if (places.size === 0) return EXIT.ok;
    io.stderr.write(`no ${lockFile.display}: run \`stagec lock\` and commit it\n`);
    return EXIT.failed;
  }
  const previous = lockFile.lock?.images ?? {};
  const named = Array.isArray(flags.update) ? selectUpdates(flags.update, [...places.keys()]) : new Set<string>();
  const toResolve = [...places.keys()].filter((ref) => updateAll || named.has(ref) || !previous[ref]).sort();

  const style = styler(io);
  const resolved = await resolveAll(io, toResolve, flags.timeout * 1000, style);
  const failures = [...resolved].filter((entry): entry is [string, Extract<Resolution, { ok: false }>] => !entry[1].ok);
  const diagnostics: Diagnostic[] = [];
  for (const [reference, failure] of failures)
    diagnostics.push(at(places.get(reference)!, result.source, failure.code, `${reference}: ${failure.message}`, failure.hint));
  if (diagnostics.length > 0) {
    reportDiagnostics(io, sortDiagnostics(diagnostics), config.text);
    io.stderr.write(`${lockFile.display} not written\n`);
    return EXIT.failed;
  }

  const images = Object.create(null) as Record<string, LockEntry>;
  for (const reference of [...places.keys()].sort()) {
    const fresh = resolved.get(reference);
    images[reference] = fresh?.ok ? entryOf(reference, fresh) : previous[reference]!;
  }
  const next: Lock = { version: 1, images };
  if (flags.check) return check(io, config, lockFile, places, next, result.source);

  const text = formatLock(next, config.display.split(/[\\/]/).pop() ?? 'stages.yaml');
  const changed = text !== lockFile.text;
  if (changed) {
    const failed = writeLockFile(lockFile, config, text, flags.maxConfigSize);
    if (failed.length > 0) {
      reportDiagnostics(io, failed);
      return EXIT.failed;
    }
  }
  const moved = [...places.keys()].filter((ref) => previous[ref] && previous[ref].digest !== images[ref]!.digest);
  const added = [...places.keys()].filter((ref) => !previous[ref]);
  const dropped = Object.keys(previous).filter((ref) => !places.has(ref));
  const summary = [
    `${places.size} image${places.size === 1 ? '' : 's'}`,
    added.length && `${added.length} added`,
    moved.length && `${moved.length} moved`,
    dropped.length && `${dropped.length} dropped`,
  ]
    .filter(Boolean)
    .join(', ');
  io.stdout.write(
    `${changed ? style('bold', lockFile.text === undefined ? 'created' : 'updated') : 'unchanged'} ${lockFile.display} (${summary})\n`,
  );
  for (const ref of moved) io.stdout.write(`  ${ref}: ${short(previous[ref]!.digest)} -> ${short(images[ref]!.digest)}\n`);
  reportUnpinned(io, uses.variable);
  if (changed) io.stdout.write('next: `stagec compile` writes the pinned Dockerfiles\n');
  return EXIT.ok;
}

async function resolveAll(
  io: Io,
  references: string[],
  timeoutMs: number,
  style: ReturnType<typeof styler>,
): Promise<Map<string, Resolution>> {
  const out = new Map<string, Resolution>();
  if (references.length === 0) return out;
  // Loaded here, not at start-up: every other command (compile above all) runs without it.
  const { RegistryClient } = await import('../registry/client');
  const client = new RegistryClient({ env: io.env, timeoutMs });
  const started = performance.now();
  io.stderr.write(`resolving ${references.length} image${references.length === 1 ? '' : 's'}...\n`);
  let done = 0;
  let next = 0;
  // A few at a time: registries rate-limit, and most files name a handful of images.
  const worker = async (): Promise<void> => {
    while (next < references.length) {
      const reference = references[next++]!;
      const name = parseImageName(reference);
      const resolution: Resolution =
        name instanceof Error
          ? { ok: false, code: 'REGISTRY_ERROR', message: `not a valid image reference: ${name.message}` }
          : await client.resolve(name);
      out.set(reference, resolution);
      done++;
      const status = resolution.ok ? style('dim', short(resolution.digest)) : style('error', resolution.code);
      io.stderr.write(`  [${done}/${references.length}] ${reference} ${status}\n`);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(4, references.length) }, worker));
  } finally {
    await client.close();
  }
  io.stderr.write(`resolved in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return out;
}

const entryOf = (reference: string, r: Extract<Resolution, { ok: true }>): LockEntry => {
  const name = parseImageName(reference);
  return { name: name instanceof Error ? reference : name.canonical, digest: r.digest, ...(r.mediaType ? { mediaType: r.mediaType } : {}) };
};

const short = (digest: string): string => digest.slice(0, 'sha256:'.length + 12);

/** A diagnostic at the reference's first place in stages.yaml, the others related. */
function at(
  place: Place,
  source: SourceIndex,
  code: Diagnostic['code'],
  message: string,
  hint?: string,
  severity: Diagnostic['severity'] = 'error',
): Diagnostic {
  const [first, ...others] = uniquePlaces(place.uses, source);
  return {
    code,
    severity,
    message,
    file: source.file,
    ...first!,
    ...(hint ? { hint } : {}),
    ...(others.length > 0
      ? { related: others.map((p) => ({ file: source.file, ...p, message: `"${place.reference}" is also used here` })) }
      : {}),
  };
}

/** --check: the lock must be exactly what `stagec lock --update` would write. */
function check(io: Io, config: ConfigFile, lockFile: LockFile, places: Map<string, Place>, next: Lock, source: SourceIndex): number {
  const diagnostics: Diagnostic[] = [];
  const previous = lockFile.lock?.images;
  if (lockFile.diagnostics.length > 0) {
    reportDiagnostics(io, lockFile.diagnostics, lockFile.text);
    return EXIT.failed;
  }
  if (!previous) return EXIT.failed; // unreachable: runLock handles a missing lock first
  for (const [reference, place] of places) {
    const old = previous[reference];
    const now = next.images[reference]!;
    if (!old)
      diagnostics.push(at(place, source, 'LOCK_MISSING', `image "${reference}" has no entry in ${lockFile.display}`, 'run `stagec lock`'));
    else if (old.digest !== now.digest) {
      diagnostics.push(
        at(
          place,
          source,
          'LOCK_OUTDATED',
          `"${reference}" moved: ${lockFile.display} has ${old.digest}, the registry now has ${now.digest}`,
          `run \`stagec lock --update ${reference}\``,
        ),
      );
    }
  }
  const unused = Object.keys(previous).filter((ref) => !places.has(ref));
  reportDiagnostics(io, sortDiagnostics(diagnostics), config.text);
  if (unused.length > 0) {
    const lockSource = lockSourceOf(lockFile);
    reportDiagnostics(
      io,
      unused.map((ref) => ({
        code: 'LOCK_OUTDATED',
        severity: 'error',
        message: `"${ref}" is in ${lockFile.display} but no longer in ${config.display}`,
        file: lockFile.display,
        ...lockSource?.position(['images', ref], { key: true }),
        hint: 'run `stagec lock` to drop it',
      })),
      lockFile.text,
    );
  }
  const failed = diagnostics.length + unused.length;
  if (failed === 0) io.stdout.write(`${lockFile.display} is up to date (${places.size} image${places.size === 1 ? '' : 's'})\n`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

const lockSourceOf = (lockFile: LockFile): SourceIndex | undefined =>
  lockFile.text === undefined ? undefined : parseLock(lockFile.text, lockFile.display).source;

/** Lint's requireDigests (#19) reports these; here a note, since a build-arg decides them. */
function reportUnpinned(io: Io, variable: readonly ImageUse[]): void {
  const refs = [...new Set(variable.map((u) => u.reference))].sort();
  if (refs.length === 0) return;
  io.stdout.write(`not pinned (variables; a build-arg decides them): ${refs.join(', ')}\n`);
}
