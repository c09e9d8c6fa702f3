import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { emitBake } from '@stagec/core';
import { EXIT, type Io } from '../io';
import { reportStale, staleDockerfiles } from '../fresh';
import { writeAtomic } from '../write';
import { compileConfig, configOption } from './shared';

export function registerBake(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('bake')
      .description('write docker-bake.json: a target per service stage, a group per stage name, default = default targets')
      .option('-o, --output <file>', 'where to write it ("-" for stdout; default: docker-bake.json at the workspace root)')
      .addHelpText(
        'after',
        `
Examples:
  $ stagec bake && docker buildx bake test          # every test stage (built for their cache only)
  $ stagec bake -o - | docker buildx bake -f - api-runtime
  $ TAG=sha-1234 docker buildx bake --push          # TAG and REGISTRY are bake variables

Like a real build, bake refuses Dockerfiles that are stale or missing (run \`stagec compile\`).`,
      ),
  ).action((flags: { config?: string; output?: string }) => {
    const compiled = compileConfig(io, flags.config);
    if (!compiled?.result.project) return setExit(EXIT.failed);
    // The bake file points buildx at the Dockerfiles: it is only as good as they are fresh.
    const stale = staleDockerfiles(compiled.config.root, compiled.result);
    if (stale.length) {
      reportStale(io, 'bake', stale, false);
      return setExit(EXIT.failed);
    }
    const text = `${JSON.stringify(emitBake(compiled.result.project), null, 2)}\n`;
    if (flags.output === '-') io.stdout.write(text);
    else {
      const target = flags.output ? resolve(io.cwd, flags.output) : join(compiled.config.root, 'docker-bake.json');
      writeAtomic(target, text);
      io.stdout.write(`wrote ${relative(io.cwd, target) || target}\n`);
    }
    setExit(EXIT.ok);
  });
}
