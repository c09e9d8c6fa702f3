import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { planBuilds, shellQuote, type PlannedBuild } from '@stagec/core';
import { EXIT, styler, type Io } from '../io';
import { checkDockerfiles, commitFailureDiagnostic, isFresh, refusalDiagnostics } from '../outputs';
import { reportDiagnostics } from '../report';
import { commitWrites, type PlannedWrite } from '../write';
import { buildOptions, planOptions, type BuildFlags } from './build-options';
import { compileQuietly, configOption, type Compiled } from './shared';

interface Flags extends BuildFlags {
  dryRun?: boolean;
  compile?: boolean;
}

/**
 * The command that runs an engine: STAGEC_DOCKER / STAGEC_PODMAN / STAGEC_BUILDAH override it,
 * with leading global options if needed (`STAGEC_BUILDAH="buildah --storage-driver vfs"`),
 * so a machine can pick a BuildKit-capable docker client or its own storage.
 */
function engineCommand(io: Io, build: PlannedBuild): string[] {
  const name = build.argv[0]!;
  const override = io.env[`STAGEC_${name.toUpperCase()}`]?.trim();
  return [...(override ? override.split(/\s+/) : [name]), ...build.argv.slice(1)];
}

export function registerBuild(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    buildOptions(
      program
        .command('build')
        .description("build a service's target (and the images of other services it builds on), streaming the engine's output")
        .argument('<service>', 'service to build')
        .argument('[engineArgs...]', 'extra arguments for the engine, after --')
        .option('--dry-run', 'print the commands instead of running them')
        .option('--compile', 'write stale or missing Dockerfiles first instead of refusing'),
    ).addHelpText(
      'after',
      '\nExamples:\n  $ stagec build api                      # default target, tagged <image>:<tag>\n  $ stagec build api --target test        # runs the tests inside the build\n  $ stagec build api -- --no-cache --progress=plain\n  $ stagec build api -- --secret id=npmrc,src=$HOME/.npmrc --ssh default   # sources for secret and ssh mounts\n\nA target whose stages use run.security: insecure gets --allow security.insecure (docker, buildx engines);\nthe builder must allow that entitlement (docs/language.md).\n\nEnvironment: STAGEC_DOCKER, STAGEC_PODMAN, STAGEC_BUILDAH choose the engine command, e.g.\n  STAGEC_BUILDAH="buildah --storage-driver vfs"; STAGEC_NETWORK=host sets --network.',
    ),
  ).action(async (service: string, engineArgs: string[], flags: Flags) => setExit(await runBuild(io, service, engineArgs, flags)));
}

async function runBuild(io: Io, service: string, engineArgs: string[], flags: Flags): Promise<number> {
  const { compiled, report } = compileQuietly(io, flags);
  if (!compiled?.result.project) return EXIT.failed;
  const { config, result } = compiled;
  const plan = planBuilds(result.project!, planOptions(flags, [service], engineArgs));
  report(new Set(plan.errors.length ? [] : plan.builds.map((b) => b.service)));
  if (plan.errors.length) {
    // Names and targets from the command line that do not exist: usage errors.
    for (const e of plan.errors) io.stderr.write(`stagec build: ${e}\n`);
    return EXIT.usage;
  }
  const needed = new Set(plan.builds.map((b) => b.service));
  if (!ensureFresh(io, compiled, [...needed], flags)) return EXIT.failed;
  const style = styler(io);
  if (flags.dryRun) {
    for (const b of plan.builds) io.stdout.write(`${Object.entries(b.env).map(([k, v]) => `${k}=${v} `).join('')}${shellQuote(b.argv)}\n`);
    return EXIT.ok;
  }
  const summary: { build: PlannedBuild; seconds: number; ok: boolean }[] = [];
  for (const build of plan.builds) {
    io.stderr.write(`${style('bold', `==> ${build.id}`)} ${style('dim', shellQuote(build.argv))}\n`);
    const started = performance.now();
    const [command, ...args] = engineCommand(io, build);
    const code = await spawnStreaming(io, command!, args, config.root, build.env);
    const seconds = (performance.now() - started) / 1000;
    summary.push({ build, seconds, ok: code === 0 });
    if (code !== 0) {
      printSummary(io, summary);
      io.stderr.write(`${style('error', 'failed:')} ${build.id} (${build.engine} exited with ${code})\n`);
      return EXIT.failed;
    }
  }
  printSummary(io, summary);
  return EXIT.ok;
}

/**
 * The same stale-file check for a real build and --dry-run: every Dockerfile the builds use
 * must be what stages.yaml compiles to. With --compile, stale or missing ones are written
 * (through the safe write path; a dry run only says it would); a hand-written file or a
 * refused target still stops the build.
 */
function ensureFresh(io: Io, compiled: Compiled, services: string[], flags: Flags): boolean {
  const { config, result } = compiled;
  const files = checkDockerfiles(compiled, { services, ...(flags.maxConfigSize ? { maxBytes: flags.maxConfigSize } : {}) });
  const stale = files.filter((f) => !isFresh(f));
  if (stale.length === 0) return true;
  const blocked = stale.filter((f) => f.refusal && f.refusal.reason !== 'hand-written');
  if (blocked.length) {
    reportDiagnostics(io, refusalDiagnostics(blocked, config, result.source), config.text);
    return false;
  }
  const handWritten = stale.filter((f) => f.state === 'hand-written');
  if (!flags.compile || handWritten.length) {
    for (const f of stale) io.stderr.write(`stagec build: ${f.display} is ${describeState(f)} (not what stages.yaml compiles to)\n`);
    io.stderr.write(
      handWritten.length
        ? flags.compile
          ? '--compile never replaces a hand-written Dockerfile: run `stagec compile --force` to replace it, or move it away\n'
          : 'run `stagec compile` first (`stagec compile --force` to replace a hand-written Dockerfile)\n'
        : 'run `stagec compile` first (or pass --compile)\n',
    );
    return false;
  }
  if (flags.dryRun) {
    for (const f of stale) io.stderr.write(`stagec build: would write ${f.display} (--compile)\n`);
    return true;
  }
  const commit = commitWrites(stale);
  if (commit.failure) {
    reportDiagnostics(io, [commitFailureDiagnostic(commit.failure, config, result.source)], config.text);
    return false;
  }
  for (const f of commit.written) io.stderr.write(`stagec build: wrote ${f.display}\n`);
  return true;
}

const describeState = (f: PlannedWrite): string => (f.state === 'new' ? 'missing' : f.state);

function printSummary(io: Io, rows: { build: PlannedBuild; seconds: number; ok: boolean }[]): void {
  const style = styler(io);
  io.stderr.write(`\n${style('bold', 'stagec build summary')}\n`);
  for (const { build, seconds, ok } of rows) {
    io.stderr.write(`  ${ok ? style('bold', 'ok    ') : style('error', 'FAILED')} ${build.id.padEnd(28)} ${seconds.toFixed(1).padStart(6)}s  ${build.tags.join(', ')}\n`);
  }
}

function spawnStreaming(io: Io, command: string, args: string[], cwd: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, env: { ...io.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => io.stdout.write(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.stderr.write(chunk.toString()));
    child.on('error', (error) => {
      io.stderr.write(`stagec build: cannot run ${command}: ${error.message}\n`);
      resolvePromise(127);
    });
    child.on('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
}
