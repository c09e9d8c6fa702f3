import type { Command } from 'commander';
import { planBuilds } from '@stagec/core';
import { ensureFresh } from '../fresh';
import { planText } from './plan-text';
import { EXIT, type Io } from '../io';
import { buildOptions, planOptions, type BuildFlags } from './build-options';
import { ignoreFilesOf } from '../outputs';
import { compileQuietly, configOption } from './shared';

export function registerPlan(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    buildOptions(
      program
        .command('plan')
        .description('print the commands that build the chosen targets, dependencies first (run from the workspace root)')
        .argument('[service...]', 'services to build (default: all)')
        .option('--json', 'one object per job (a CI matrix): id, kind, service, target, engine, argv, env, tags, platforms, push, then, depends_on; several platforms with buildx and push: a job per platform pushing by digest, then a merge job')
        .option('--metadata-dir <dir>', 'with --json: where per-platform jobs write their buildx metadata (digest)', '.stagec/metadata'),
    ).addHelpText(
      'after',
      `
Examples:
  $ stagec plan
  $ stagec plan api --target test
  $ stagec plan api --push --cache-to type=inline
  $ stagec plan --target test --json            # a CI matrix
  $ stagec plan api --engine buildx --platform linux/amd64,linux/arm64 --push --json

Like a real build, plan refuses Dockerfiles that are stale or missing (run \`stagec compile\`).`,
    ),
  ).action((services: string[], flags: BuildFlags & { json?: boolean; metadataDir: string }) => {
    const { compiled, report } = compileQuietly(io, flags);
    if (!compiled?.result.project) return setExit(EXIT.failed);
    const options = { ...planOptions(flags, services), ignoreFiles: ignoreFilesOf(compiled.result) };
    const plan = planBuilds(compiled.result.project, flags.json ? { ...options, splitPlatforms: { metadataDir: flags.metadataDir } } : options);
    // Only the warnings of the services planned (with their dependencies), not of all of them.
    report(new Set(plan.errors.length ? [] : plan.builds.map((b) => b.service)));
    if (plan.errors.length) {
      // Unknown names and targets from the command line, and settings the engine cannot do: usage errors (exit 2).
      for (const e of plan.errors) io.stderr.write(`stagec plan: ${e}\n`);
      return setExit(EXIT.usage);
    }
    if (!ensureFresh(io, 'plan', compiled, [...new Set(plan.builds.map((b) => b.service))], flags)) return setExit(EXIT.failed);
    if (flags.json) io.stdout.write(`${JSON.stringify(plan.builds, null, 2)}\n`);
    else io.stdout.write(planText(plan.builds));
    setExit(EXIT.ok);
  });
}
