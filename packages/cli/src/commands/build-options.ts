import { Option, type Command } from 'commander';
import { ENGINES, type Engine, type PlanOptions } from '@stagec/core';
import { UsageError } from '../io';

export interface BuildFlags {
  config?: string;
  maxConfigSize?: number;
  target?: string;
  engine: Engine;
  tag?: string;
  registry?: string;
  buildArg?: string[];
  network?: string;
  deps?: boolean;
}

export const buildOptions = (command: Command): Command =>
  command
    .option('-t, --target <stage>', "stage to build (default: each service's default target)")
    .addOption(new Option('-e, --engine <engine>', 'build engine').choices([...ENGINES]).default('docker'))
    .option('--tag <tag>', 'also tag every image with this tag (e.g. a commit SHA)')
    .option('--registry <registry>', 'also tag every image under this registry')
    .option('--build-arg <key=value>', 'build argument (repeatable)', (v: string, all: string[] = []) => [...all, v])
    .addOption(new Option('--network <mode>', 'network for RUN instructions, e.g. host').env('STAGEC_NETWORK'))
    .option('--no-deps', "do not build the other services' images the target builds on (an orchestrator such as Nx does)");

export function planOptions(flags: BuildFlags, services: readonly string[], extraArgs: readonly string[] = []): PlanOptions {
  const buildArgs: Record<string, string> = {};
  for (const pair of flags.buildArg ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--build-arg expects KEY=VALUE, got "${pair}"`);
    buildArgs[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return {
    services,
    engine: flags.engine,
    ...(flags.target ? { target: flags.target } : {}),
    ...(flags.tag ? { tag: flags.tag } : {}),
    ...(flags.registry ? { registry: flags.registry } : {}),
    ...(flags.network ? { network: flags.network } : {}),
    ...(flags.deps === false ? { deps: false } : {}),
    ...(Object.keys(buildArgs).length ? { buildArgs } : {}),
    ...(extraArgs.length ? { extraArgs } : {}),
  };
}
