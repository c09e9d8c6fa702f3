import type { Run } from '../runs';
import { program, subcommand, type SimpleCommand } from '../shell';

/** `apt-get install ...` (also `apt install`, which prints a warning about its unstable CLI). */
export function aptInstall(command: SimpleCommand): boolean {
  const name = program(command);
  return (name === 'apt-get' || name === 'apt') && subcommand(command)?.word === 'install';
}

/** Every apt install of a RUN with the command (list item) it was written in. */
export function aptInstalls(run: Run): { script: Run['scripts'][number]; command: SimpleCommand }[] {
  return run.scripts.flatMap((script) => script.commands.filter(aptInstall).map((command) => ({ script, command })));
}
