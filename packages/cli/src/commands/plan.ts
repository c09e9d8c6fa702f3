import type { Command } from 'commander';
import { planBuilds, shellQuote } from '@stagec/core';
import { EXIT, type Io } from '../io';
import { buildOptions, planOptions, type BuildFlags } from './build-options';
import { compileQuietly, configOption } from './shared';

export function registerPlan(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    buildOptions(
      program
        .command('plan')
        .description('print the commands that build the chosen targets, dependencies first (run from the workspace root)')
        .argument('[service...]', 'services to build (default: all)')
        .option('--json', 'one object per build: id, service, target, engine, argv, env, tags, depends_on'),
    ).addHelpText('after', '\nExamples:\n  $ stagec plan\n  $ stagec plan api --target test\n  $ stagec plan --target test --json   # a CI matrix'),
  ).action((services: string[], flags: BuildFlags & { json?: boolean }) => {
    const { compiled, report } = compileQuietly(io, flags);
    if (!compiled?.result.project) return setExit(EXIT.failed);
    const plan = planBuilds(compiled.result.project, planOptions(flags, services));
    // Only the warnings of the services planned (with their dependencies), not of all of them.
    report(new Set(plan.errors.length ? [] : plan.builds.map((b) => b.service)));
    if (plan.errors.length) {
      // Names and targets from the command line that do not exist: usage errors.
      for (const e of plan.errors) io.stderr.write(`stagec plan: ${e}\n`);
      return setExit(EXIT.usage);
    }
    if (flags.json) io.stdout.write(`${JSON.stringify(plan.builds, null, 2)}\n`);
    else for (const b of plan.builds) io.stdout.write(`${Object.entries(b.env).map(([k, v]) => `${k}=${v} `).join('')}${shellQuote(b.argv)}\n`);
    setExit(EXIT.ok);
  });
}
