import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { planBuilds, shellQuote, type PlannedBuild } from '@stagec/core';
import { planText } from './plan-text';
import { EXIT, styler, type Io } from '../io';
import { ignoreFilesOf } from '../outputs';
import { ensureFresh } from '../fresh';
import { UsageError } from '../io';
import { buildOptions, planOptions, type BuildFlags } from './build-options';
import { compileQuietly, configOption } from './shared';

interface Flags extends BuildFlags {
  dryRun?: boolean;
  compile?: boolean;
}

/**
 * The command that runs an engine: STAGEC_DOCKER / STAGEC_PODMAN / STAGEC_BUILDAH override it,
 * with leading global options if needed (`STAGEC_BUILDAH="buildah --storage-driver vfs"`),
 * so a machine can pick a BuildKit-capable docker client or its own storage.
 */
function engineCommand(io: Io, argv: readonly string[]): string[] {
  const name = argv[0]!;
  const override = io.env[`STAGEC_${name.toUpperCase()}`]?.trim();
  return [...(override ? override.split(/\s+/) : [name]), ...argv.slice(1)];
}

export function registerBuild(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    buildOptions(
      program
        .command('build')
        .description("build a service's target (and the images of other services it builds on), streaming the engine's output")
        .argument('<service>', 'service to build')
        .argument('[-- engineArgs...]', 'extra arguments for the engine, only after --')
        .option('--dry-run', 'print the commands instead of running them')
        .option('--compile', 'write stale or missing Dockerfiles first instead of refusing'),
    ).addHelpText(
      'after',
      `
Examples:
  $ stagec build api                          # default target, tagged <image>:<tag>
  $ stagec build api --target test            # runs the tests inside the build
  $ stagec build api --push --tag sha-1234    # build, then push both tags
  $ stagec build api --cache-from r/api:latest --cache-to type=inline
  $ stagec build api --engine buildx --platform linux/amd64,linux/arm64 --push
  $ stagec build api -- --no-cache --progress=plain   # engine arguments only after --

One service per command (\`stagec plan a b\` shows several). Settings come from build: in
stages.yaml (push, cache, secrets, provenance, sbom, cacheOnly); what the engine cannot do is
an error naming what to use. --dry-run refuses stale Dockerfiles as a real build does.
Secret sources come from build.secrets (or after --: --secret id=npmrc,src=$HOME/.npmrc,
--ssh default). A target whose stages use run.security: insecure gets --allow
security.insecure (docker, buildx engines); the builder must allow that entitlement
(docs/language.md).

Environment: STAGEC_DOCKER, STAGEC_PODMAN, STAGEC_BUILDAH choose the engine command, e.g.
  STAGEC_BUILDAH="buildah --storage-driver vfs"; STAGEC_NETWORK=host sets --network.`,
    ),
  ).action(async (service: string, rest: string[], flags: Flags, command: Command) => {
    setExit(await runBuild(io, service, engineArgsOf(service, rest, command), flags));
  });
}

/**
 * Commander hands over the operands before and after `--` as one list; only those after it
 * are the engine's. Anything else is a second service (`stagec build api web`), refused
 * rather than passed to the engine as its context.
 */
function engineArgsOf(service: string, rest: string[], command: Command): string[] {
  // rawArgs is commander's (untyped) record of the arguments as given.
  const raw = (command.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? [];
  const dash = raw.indexOf('--');
  const after = dash < 0 ? 0 : Math.min(raw.length - dash - 1, rest.length);
  const extra = rest.slice(0, rest.length - after);
  if (extra.length) {
    throw new UsageError(
      `build takes one service, got also ${extra.map((e) => `"${e}"`).join(', ')}: build ${extra.length > 1 ? 'each' : 'it'} with its own \`stagec build\` (\`stagec plan ${[service, ...extra].join(' ')}\` shows them all); engine arguments go after --, e.g. \`stagec build ${service} -- --no-cache\``,
    );
  }
  return rest.slice(rest.length - after);
}

async function runBuild(io: Io, service: string, engineArgs: string[], flags: Flags): Promise<number> {
  const { compiled, report } = compileQuietly(io, flags);
  if (!compiled?.result.project) return EXIT.failed;
  const { config, result } = compiled;
  const plan = planBuilds(result.project!, { ...planOptions(flags, [service], engineArgs), ignoreFiles: ignoreFilesOf(result) });
  report(new Set(plan.errors.length ? [] : plan.builds.map((b) => b.service)));
  if (plan.errors.length) {
    // Unknown names and targets from the command line, and settings the engine cannot do: usage errors (exit 2).
    for (const e of plan.errors) io.stderr.write(`stagec build: ${e}\n`);
    return EXIT.usage;
  }
  const needed = new Set(plan.builds.map((b) => b.service));
  if (!ensureFresh(io, 'build', compiled, [...needed], flags)) return EXIT.failed;
  const style = styler(io);
  if (flags.dryRun) {
    io.stdout.write(planText(plan.builds));
    return EXIT.ok;
  }
  const summary: { build: PlannedBuild; seconds: number; ok: boolean }[] = [];
  for (const build of plan.builds) {
    io.stderr.write(`${style('bold', `==> ${build.id}`)} ${style('dim', shellQuote(build.argv))}\n`);
    const started = performance.now();
    const [command, ...args] = engineCommand(io, build.argv);
    let code = await spawnStreaming(io, command!, args, config.root, build.env);
    for (const next of build.then) {
      if (code !== 0) break;
      io.stderr.write(`${style('dim', shellQuote(next))}\n`);
      const [tool, ...rest] = engineCommand(io, next);
      code = await spawnStreaming(io, tool!, rest, config.root, {});
    }
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
