import { Argument, type Command } from 'commander';
import { programSpec } from '../completion/model';
import { render, SHELLS, type Shell } from '../completion/shells';
import { EXIT, type Io } from '../io';

export function registerCompletion(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('completion')
    .description('print a shell completion script (commands, options, service names), generated from the command tree')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ source <(stagec completion bash)        # bash, this shell',
        '  $ stagec completion bash > ~/.local/share/bash-completion/completions/stagec',
        '  $ stagec completion zsh > "${fpath[1]}/_stagec"   # zsh, then restart it',
        '  $ stagec completion fish > ~/.config/fish/completions/stagec.fish',
        '',
        'Service names are completed by running `stagec ls --names` in the current folder.',
      ].join('\n'),
    )
    .action((shell: Shell) => {
      io.stdout.write(render(shell, programSpec(program)));
      setExit(EXIT.ok);
    });
}
