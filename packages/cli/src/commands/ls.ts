import type { Command } from 'commander';
import { imageTag, type ResolvedService } from '@stagec/core';
import { EXIT, styler, type Io } from '../io';
import { compileQuietly, configOption } from './shared';

interface LsFlags {
  config?: string;
  json?: boolean;
  names?: boolean;
}

export function registerLs(program: Command, io: Io, setExit: (code: number) => void): void {
  configOption(
    program
      .command('ls')
      .description('list the services: their folder, default target, stages and the services they build on')
      .argument('[service...]', 'only these services')
      .option('--json', 'one object per service: name, path, dockerfile, pipeline, target, stages (with their image tags), dependsOn')
      .option('--names', 'service names only, one per line (for scripts and shell completion)')
      .addHelpText(
        'after',
        [
          '',
          'Examples:',
          '  $ stagec ls',
          '  $ stagec ls api --json | jq -r \'.[0].stages[].name\'',
          '  $ for s in $(stagec ls --names); do stagec build "$s" --target test; done',
          '',
          'Targets: `stagec build <service> --target <stage>` builds any stage; the default target',
          '(marked *) is what `stagec build <service>` and a plain `docker build` build.',
        ].join('\n'),
      ),
  ).action((wanted: string[], flags: LsFlags) => {
    const { compiled, report } = compileQuietly(io, flags);
    if (!compiled?.result.project) return setExit(EXIT.failed);
    const all = compiled.result.project.services;
    const unknown = wanted.filter((w) => !all.some((s) => s.name === w));
    if (unknown.length) {
      io.stderr.write(`stagec ls: no service ${unknown.map((u) => `"${u}"`).join(', ')} (services: ${all.map((s) => s.name).join(', ')})\n`);
      return setExit(EXIT.usage);
    }
    const services = wanted.length ? all.filter((s) => wanted.includes(s.name)) : all;
    if (!flags.names && !flags.json) report(new Set(services.map((s) => s.name)));
    if (flags.names) io.stdout.write(services.map((s) => `${s.name}\n`).join(''));
    else if (flags.json) io.stdout.write(`${JSON.stringify(services.map(toJson), null, 2)}\n`);
    else io.stdout.write(table(services, styler(io, io.stdout)));
    setExit(EXIT.ok);
  });
}

function toJson(s: ResolvedService) {
  return {
    name: s.name,
    path: s.path,
    dockerfile: s.dockerfile,
    context: s.context,
    ...(s.pipeline ? { pipeline: s.pipeline } : {}),
    ...(s.description ? { description: s.description } : {}),
    image: s.image,
    target: s.target,
    stages: s.stages.map((st) => ({ name: st.name, tag: imageTag(s, st.name), default: st.name === s.target })),
    dependsOn: s.dependsOn.map((d) => ({ service: d.service, stage: d.stage })),
  };
}

function table(services: readonly ResolvedService[], style: ReturnType<typeof styler>): string {
  const rows = services.map((s) => [
    s.name,
    s.path,
    s.pipeline ?? '-',
    s.stages.map((st) => (st.name === s.target ? `${st.name}*` : st.name)).join(' '),
    [...new Set(s.dependsOn.map((d) => `${d.service}:${d.stage}`))].join(' ') || '-',
  ]);
  const header = ['SERVICE', 'PATH', 'PIPELINE', 'STAGES (* default target)', 'BUILDS ON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${style('bold', line(header))}\n${rows.map((r) => `${line(r)}\n`).join('')}`;
}
