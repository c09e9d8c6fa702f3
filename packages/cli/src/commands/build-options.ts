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
  push?: boolean;
  platform?: string[];
  cacheFrom?: string[];
  cacheTo?: string[];
}

const collect = (v: string, all: string[] = []): string[] => [...all, v];
/** Repeatable and comma-separated, as buildx takes --platform. */
const collectList = (v: string, all: string[] = []): string[] => [...all, ...v.split(',').map((p) => p.trim()).filter(Boolean)];

export const buildOptions = (command: Command): Command =>
  command
    .option('-t, --target <stage>', "stage to build (default: each service's default target)")
    .addOption(new Option('-e, --engine <engine>', 'build engine').choices([...ENGINES]).default('docker'))
    .option('--tag <tag>', 'also tag every image with this tag (e.g. a commit SHA)')
    .option('--registry <registry>', 'also tag every image under this registry')
    .option('--build-arg <key=value>', 'build argument (repeatable)', collect)
    .option('--push', 'push the images (overrides build.push; cache-only stages are never pushed)')
    .option('--no-push', 'do not push, whatever build.push says')
    .option('--platform <platforms>', 'target platform(s), repeatable or comma-separated (overrides platforms)', collectList)
    .option('--cache-from <spec>', 'BuildKit cache to import, e.g. type=registry,ref=r/api:cache (repeatable; overrides build.cache.from)', collect)
    .option('--cache-to <spec>', 'BuildKit cache to export, e.g. type=inline (repeatable; overrides build.cache.to)', collect)
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
    ...(flags.push !== undefined ? { push: flags.push } : {}),
    ...(flags.platform?.length ? { platforms: flags.platform } : {}),
    ...(flags.cacheFrom?.length ? { cacheFrom: flags.cacheFrom } : {}),
    ...(flags.cacheTo?.length ? { cacheTo: flags.cacheTo } : {}),
  };
}
