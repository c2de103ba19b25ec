import { Argument, Command, Option } from 'commander';
import { examples, type CommandContext } from './options.js';

export function completionCommand(ctx: CommandContext): Command {
  return new Command('completion')
    .description('print a shell completion script (commands, options, their values and notification ids)')
    .addArgument(new Argument('[shell]', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .addOption(new Option('--ids', 'print the project\'s notification ids, one a line (the scripts call it)').hideHelp())
    .addHelpText(
      'after',
      examples([
        'source <(dingcast completion bash)                       # in ~/.bashrc',
        'source <(dingcast completion zsh)                        # in ~/.zshrc, after compinit',
        'dingcast completion fish > ~/.config/fish/completions/dingcast.fish',
      ]),
    )
    .action(async (shell: 'bash' | 'zsh' | 'fish' | undefined, opts: { ids?: boolean }, command: Command) => {
      const { runCompletion } = await import('../completion/run.js');
      ctx.setCode(await runCompletion(ctx.project(), shell, opts, command.parent ?? command));
    });
}
