import type { Command, Option } from 'commander';

/** What a value is completed from: service names (asked of `stagec ls --names`), files, a fixed list, or nothing. */
export type ValueSource = { kind: 'services' } | { kind: 'files' } | { kind: 'choices'; values: string[] } | { kind: 'none' };

export interface OptionSpec {
  long?: string;
  short?: string;
  description: string;
  /** undefined for a flag. */
  value?: ValueSource;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** What the positional arguments complete to. */
  args: ValueSource;
}

export interface ProgramSpec {
  name: string;
  options: OptionSpec[];
  commands: CommandSpec[];
}

const HELP: OptionSpec = { long: '--help', short: '-h', description: 'display help' };

/** A value's source, from its name in the flags or argument (`<service>`, `<file>`) and its choices. */
function sourceOf(name: string, choices: readonly string[] | undefined): ValueSource {
  if (choices?.length) return { kind: 'choices', values: [...choices] };
  if (/service/i.test(name)) return { kind: 'services' };
  if (/file|config|dir|path/i.test(name)) return { kind: 'files' };
  return { kind: 'none' };
}

function optionSpec(o: Option): OptionSpec {
  const valueName = /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1];
  return {
    ...(o.long ? { long: o.long } : {}),
    ...(o.short ? { short: o.short } : {}),
    description: o.description,
    ...(o.required || o.optional ? { value: sourceOf(`${valueName ?? ''} ${o.long ?? ''}`, o.argChoices) } : {}),
  };
}

/** The command tree as commander holds it: every command, option and argument, so completion never drifts from the CLI. */
export function programSpec(program: Command): ProgramSpec {
  return {
    name: program.name(),
    options: [...program.options.map(optionSpec), HELP],
    commands: program.commands.map((c) => {
      const first = c.registeredArguments[0];
      return {
        name: c.name(),
        description: c.description(),
        options: [...c.options.map(optionSpec), HELP],
        args: first ? sourceOf(first.name(), first.argChoices) : { kind: 'none' },
      };
    }),
  };
}
