import type { Command } from 'commander';
import { didYouMean, serviceChain, type EmittedLine, type ResolvedService, type SourceIndex } from '@stagec/core';
import { EXIT, styler, UsageError, type Io } from '../io';
import { compileConfig, configOption } from './shared';

export function registerExplain(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('explain')
      .description("a service's Dockerfile with each line's origin: its stages.yaml line and template chain")
      .argument('<service>', 'service name')
      .argument('[stage]', 'only this stage')
      .option('--json', 'one object per line: text, file, line, path, chain (and edit, for a step an edit placed)')
      .addHelpText(
        'after',
        '\nA step that an `edit` entry placed also names the inherited step it replaced or sits next to.\n\nExamples:\n  $ stagec explain api\n  $ stagec explain api runtime\n  $ stagec explain api build --json',
      ),
  ).action((service: string, stage: string | undefined, flags: { config?: string; json?: boolean }) => {
    const compiled = compileConfig(io, flags, [service]);
    if (!compiled) return setExit(EXIT.failed);
    const { result, config } = compiled;
    let lines = result.dockerfiles[0]!.lines;
    const resolved = result.project!.services.find((s) => s.name === service)!;
    if (stage !== undefined) {
      const stages = resolved.stages.map((s) => s.name);
      if (!stages.includes(stage)) {
        const message = `service "${service}" has no stage "${stage}"`;
        const hint = didYouMean(stage, stages) ?? `its stages: ${stages.join(', ')}`;
        throw new UsageError(message, [{ code: 'UNKNOWN_STAGE', severity: 'error', message, file: config.display, hint, usage: true }]);
      }
      lines = lines.filter((l) => l.stage === stage);
    }
    const rows = lines.map((l) => describe(l, resolved, result.source, config.display));
    if (flags.json) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else printTable(io, rows);
    setExit(EXIT.ok);
  });
}

interface Row {
  text: string;
  file?: string;
  line?: number;
  path?: string;
  chain?: readonly string[];
  /** A step an `edit` entry put there: the inherited step it replaced or was placed next to. */
  edit?: { action: string; file: string; line: number; path: string };
}

function describe(line: EmittedLine, service: ResolvedService, source: SourceIndex, file: string): Row {
  if (!line.origin) return { text: line.text };
  const position = source.position(line.origin.path);
  const { edit } = line.origin;
  return {
    text: line.text,
    file,
    line: position.line,
    path: line.origin.path.join('.'),
    chain: serviceChain(service, line.origin.chain),
    ...(edit
      ? { edit: { action: edit.action, file, line: source.position(edit.target.path).line, path: edit.target.path.join('.') } }
      : {}),
  };
}

function printTable(io: Io, rows: Row[]): void {
  const style = styler(io, io.stdout);
  const width = Math.min(56, Math.max(...rows.map((r) => r.text.length)));
  for (const row of rows) {
    if (row.line === undefined) {
      io.stdout.write(`${row.text}\n`);
      continue;
    }
    const via = row.chain && row.chain.length > 0 ? `  ${style('dim', `via ${row.chain.join(' > ')}`)}` : '';
    const verb = { replace: 'replaces', before: 'before', after: 'after' }[row.edit?.action ?? ''] ?? row.edit?.action;
    const edit = row.edit ? `  ${style('dim', `${verb} ${row.edit.file}:${row.edit.line} ${row.edit.path}`)}` : '';
    const pad = row.text.length < width ? ' '.repeat(width - row.text.length) : '';
    io.stdout.write(`${row.text}${pad}  ${style('code', `# ${row.file}:${row.line}`)} ${row.path}${edit}${via}\n`);
  }
}
