import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MAX_CONFIG_SIZE, stagesSchema } from '@stagec/core';
import { EXIT, type Io } from '../io';
import { commitFailureDiagnostic, refusalDiagnostics } from '../outputs';
import { reportDiagnostics } from '../report';
import { commitWrites, planWrites } from '../write';

/** A file holding stagec's schema (any version): the only kind `schema -o` replaces. */
function isSchemaFile(text: string): boolean {
  try {
    return (JSON.parse(text) as { $id?: unknown }).$id === (stagesSchema as { $id?: unknown }).$id;
  } catch {
    return false;
  }
}

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
      if (options.output === undefined || options.output === '-') {
        io.stdout.write(text);
        return setExit(EXIT.ok);
      }
      if (options.output === '') {
        io.stderr.write('stagec schema: -o needs a file name, or "-" for stdout\n');
        return setExit(EXIT.usage);
      }
      // Through the one write path: never over a symlink, a folder or a file that is not a schema of stagec's.
      const files = planWrites(
        [
          {
            display: options.output,
            absolute: resolve(io.cwd, options.output),
            content: text,
            origin: { flag: '-o' },
            scope: 'anywhere',
            replace: 'generated',
            isGenerated: isSchemaFile,
          },
        ],
        { root: io.cwd, inputs: [], maxBytes: DEFAULT_MAX_CONFIG_SIZE },
      );
      const refused = refusalDiagnostics(files);
      if (refused.length) {
        reportDiagnostics(io, refused);
        return setExit(EXIT.failed);
      }
      const commit = commitWrites(files);
      if (commit.failure) {
        reportDiagnostics(io, [commitFailureDiagnostic(commit.failure)]);
        return setExit(EXIT.failed);
      }
      setExit(EXIT.ok);
    });
}
