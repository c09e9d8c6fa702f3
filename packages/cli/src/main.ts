import { Command, CommanderError } from 'commander';
import { EXIT, processIo, UsageError, type Io } from './io';

/** Kept equal to package.json by packages/cli/test/commands.test.ts. */
export const VERSION = '0.1.0';

type Register = (program: Command, io: Io, setExit: (code: number) => void) => void;

/**
 * Every command, in help order, each loaded only when it is registered: a run of one command
 * (`stagec compile`, on every change, in hooks and CI) loads that command's modules only, not
 * the Dockerfile parser of import, the lint rules or the build planner of the others.
 */
const COMMANDS: readonly (readonly [string, () => Promise<Register>])[] = [
  ['compile', async () => (await import('./commands/compile')).registerCompile],
  ['ls', async () => (await import('./commands/ls')).registerLs],
  ['print', async () => (await import('./commands/print')).registerPrint],
  ['validate', async () => (await import('./commands/validate')).registerValidate],
  ['lint', async () => (await import('./commands/lint')).registerLint],
  ['explain', async () => (await import('./commands/explain')).registerExplain],
  ['graph', async () => (await import('./commands/graph')).registerGraph],
  ['plan', async () => (await import('./commands/plan')).registerPlan],
  ['build', async () => (await import('./commands/build')).registerBuild],
  ['bake', async () => (await import('./commands/bake')).registerBake],
  ['lock', async () => (await import('./commands/lock')).registerLock],
  ['schema', async () => (await import('./commands/schema')).registerSchema],
  ['completion', async () => (await import('./commands/completion')).registerCompletion],
  ['import', async () => (await import('./commands/import')).registerImport],
  ['init', async () => (await import('./commands/init')).registerInit],
];

/** The global options, none of which takes a value: the first other word names the command. */
const GLOBAL_FLAGS = new Set(['-q', '--quiet', '--verbose']);

/**
 * The commands a run needs registered: only the one it names when the first word is a command
 * (the tree of siblings is never read then), none for a bare `--version`; all of them for
 * anything else (help, an unknown command and its suggestions, and completion, whose script
 * lists the whole tree), so that every other case parses exactly as with the full tree.
 */
export function commandsFor(argv: readonly string[]): readonly string[] {
  const all = COMMANDS.map(([name]) => name);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  const first = argv.find((word) => !GLOBAL_FLAGS.has(word));
  return first !== undefined && first !== 'completion' && all.includes(first) ? [first] : all;
}

/** The command tree with `names` registered (by default all of them, in help order). */
export async function createProgram(
  io: Io,
  setExit: (code: number) => void,
  names: readonly string[] = COMMANDS.map(([name]) => name),
): Promise<Command> {
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
  const chosen = COMMANDS.filter(([name]) => names.includes(name));
  for (const register of await Promise.all(chosen.map(([, load]) => load()))) register(program, io, setExit);
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  return program;
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exit: number = EXIT.ok;
  const program = await createProgram(
    io,
    (code) => {
      exit = code;
    },
    commandsFor(argv),
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof UsageError) {
      // The reporter loads the core: a run that never reports (a bare --version) does without.
      if (error.diagnostics.length > 0) (await import('./report')).reportDiagnostics(io, error.diagnostics, error.source);
      else io.stderr.write(`stagec: ${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`stagec: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.internal;
  }
  return exit;
}
