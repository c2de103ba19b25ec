import { Command } from 'commander';
import { examples, jsonOption, type CommandContext } from './options.js';

export function initCommand(ctx: CommandContext): Command {
  return new Command('init')
    .description('scaffold a project: notifications.yaml, one template, .gitignore entries, editor schema links')
    .argument('[dir]', 'folder to create the project in (default: --project, else the current folder)')
    .option('--copy-schema', 'copy the JSON Schemas into DIR/schema even when dingcast is installed in node_modules')
    .addOption(jsonOption('print what was created as JSON on stdout'))
    .addHelpText('after', examples(['dingcast init', 'dingcast init notices && dingcast validate --project notices', 'dingcast init notices --json'], 'Never overwrites: exits 2 naming any file that already exists.'))
    .action(async (dir: string | undefined, opts: { copySchema?: boolean; json?: boolean }) => {
      const { runInit } = await import('../init.js');
      ctx.setCode(await runInit(dir ?? ctx.project(), opts));
    });
}
