import type { Command } from 'commander';
import { stagesSchema } from '@stagec/core';
import { EXIT, type Io } from '../io';

export function registerSchema(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('schema')
    .description('print the JSON Schema of stages.yaml (draft 2020-12)')
    .addHelpText('after', '\nExample:\n  $ stagec schema > schemas/stages.schema.json\n  # then in stages.yaml: # yaml-language-server: $schema=./schemas/stages.schema.json')
    .action(() => {
      io.stdout.write(`${JSON.stringify(stagesSchema, null, 2)}\n`);
      setExit(EXIT.ok);
    });
}
