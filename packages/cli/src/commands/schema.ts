import { resolve } from 'node:path';
import type { Command } from 'commander';
import { stagesSchema } from '@stagec/core';
import { EXIT, type Io } from '../io';
import { writeAtomic } from '../write';

export function registerSchema(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('schema')
    .description('print the JSON Schema of stages.yaml (draft 2020-12), or write it to a file')
    .option('-o, --output <file>', 'write the schema to this file instead of stdout ("-" is stdout)')
    .addHelpText(
      'after',
      [
        '',
        'The stagec package ships the schema, so editors can use the installed copy directly:',
        '  # yaml-language-server: $schema=./node_modules/stagec/schemas/stages.schema.json',
        '',
        'Examples:',
        '  $ stagec schema | jq .properties',
        '  $ stagec schema -o schemas/stages.schema.json',
      ].join('\n'),
    )
    .action((options: { output?: string }) => {
      const text = `${JSON.stringify(stagesSchema, null, 2)}\n`;
      if (options.output === undefined || options.output === '-') io.stdout.write(text);
      else writeAtomic(resolve(io.cwd, options.output), text);
      setExit(EXIT.ok);
    });
}
