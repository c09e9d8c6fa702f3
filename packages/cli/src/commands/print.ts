import type { Command } from 'commander';
import { EXIT, type Io } from '../io';
import { compileConfig, configOption } from './shared';

export function registerPrint(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('print')
      .description("print a service's Dockerfile on stdout (writes nothing)")
      .argument('<service>', 'service name')
      .addHelpText('after', '\nExample:\n  $ stagec print api | docker build -f - apps/api'),
  ).action((service: string, flags: { config?: string }) => {
    const compiled = compileConfig(io, flags, [service]);
    if (!compiled) return setExit(EXIT.failed);
    io.stdout.write(compiled.result.dockerfiles[0]!.text);
    setExit(EXIT.ok);
  });
}
