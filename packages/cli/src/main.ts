import { Command, CommanderError } from 'commander';
import { registerBake } from './commands/bake';
import { registerBuild } from './commands/build';
import { registerCompile } from './commands/compile';
import { registerCompletion } from './commands/completion';
import { registerExplain } from './commands/explain';
import { registerGraph } from './commands/graph';
import { registerImport } from './commands/import';
import { registerInit } from './commands/init';
import { registerLint } from './commands/lint';
import { registerLs } from './commands/ls';
import { registerLock } from './commands/lock';
import { registerPlan } from './commands/plan';
import { registerPrint } from './commands/print';
import { registerSchema } from './commands/schema';
import { registerValidate } from './commands/validate';
import { EXIT, processIo, UsageError, type Io } from './io';

/** Kept equal to package.json by test/cli.test.ts. */
export const VERSION = '0.1.0';

type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;
const COMMANDS: Register[] = [
  registerCompile,
  registerLs,
  registerPrint,
  registerValidate,
  registerLint,
  registerExplain,
  registerGraph,
  registerPlan,
  registerBuild,
  registerBake,
  registerLock,
  registerSchema,
  registerCompletion,
  registerImport,
  registerInit,
];

export function createProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('stagec')
    .description('Compile stages.yaml into one multi-stage Dockerfile per service, build commands, a Bake file and Nx targets.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .option('-q, --quiet', 'print errors and results only (no warnings, no progress)')
    .option('--verbose', 'also print what was left alone (unchanged files)')
    .hook('preAction', (root) => {
      const { quiet, verbose } = root.opts<{ quiet?: boolean; verbose?: boolean }>();
      if (quiet && verbose) throw new UsageError('-q/--quiet and --verbose exclude each other');
      io.verbosity = quiet ? 'quiet' : verbose ? 'verbose' : 'normal';
    })
    .addHelpText(
      'after',
      '\nExamples:\n  $ stagec import               # start from existing Dockerfiles (or: stagec init)\n  $ stagec compile              # write the Dockerfiles\n  $ stagec compile --check      # CI: fail on drift (or orphaned Dockerfiles)\n  $ stagec ls                   # services, stages, default targets\n  $ stagec explain api          # where each line comes from\n  $ source <(stagec completion bash)\n\nExit codes: 0 ok, 1 check or validation failed, 2 usage error.',
    );
  for (const register of COMMANDS) register(program, io, setExit);
  for (const command of program.commands) command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exit: number = EXIT.ok;
  const program = createProgram(io, (code) => {
    exit = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof UsageError) {
      if (error.message) io.stderr.write(`stagec: ${error.message}\n`); // empty: already reported
      return EXIT.usage;
    }
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`stagec: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
  return exit;
}
