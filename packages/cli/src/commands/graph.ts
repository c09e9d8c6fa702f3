import { Option, type Command } from 'commander';
import { buildGraph, renderDot, renderMermaid } from '@stagec/core';
import { EXIT, type Io } from '../io';
import { compileConfig, configOption } from './shared';

export function registerGraph(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('graph')
      .description('the stage and service graph: FROM, COPY --from and cross-service edges')
      .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
      .addHelpText('after', '\nExamples:\n  $ stagec graph > graph.mmd\n  $ stagec graph --format dot | dot -Tsvg > graph.svg'),
  ).action((flags: { config?: string; format: 'mermaid' | 'dot' | 'json' }) => {
    const compiled = compileConfig(io, flags);
    if (!compiled?.result.project) return setExit(EXIT.failed);
    const graph = buildGraph(compiled.result.project);
    const text =
      flags.format === 'json' ? `${JSON.stringify(graph, null, 2)}\n` : flags.format === 'dot' ? renderDot(graph) : renderMermaid(graph);
    io.stdout.write(text);
    setExit(EXIT.ok);
  });
}
