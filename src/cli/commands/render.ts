import { Command } from 'commander';
import type { RenderOptions } from '../render.js';
import { atOption, collect, examples, formatOption, checkJsonFormat, jsonFormatOption, type CommandContext } from './options.js';

export function renderCommand(ctx: CommandContext): Command {
  return new Command('render')
    .description('render notifications (or templates) and show what would be sent')
    .argument('[ids...]', 'notification ids, or template ids with --example/--var/--vars (default: every notification)')
    .option('--dry-run', 'print only; write nothing')
    .option('--all', 'every notification (the default when no id is given)')
    .option('--example <name>', 'render a template with one of its examples')
    .option('--var <k=v>', 'a template variable (repeatable; the value is parsed as YAML)', collect, [])
    .option('--vars <file>', 'a JSON/YAML file of template variables')
    .addOption(formatOption(['text', 'json', 'html']))
    .addOption(jsonFormatOption())
    .option('--out <path>', 'without --dry-run: folder for the rendered msg files (default build); with --format html: the page file (default stdout)')
    .addOption(atOption('render as if it were this time (for @now/@today)'))
    .addHelpText(
      'after',
      examples([
        'dingcast render --dry-run',
        'dingcast render daily-report-platform --dry-run --json',
        'dingcast render release-note --example typical --dry-run',
        'dingcast render release-note --var service=api --var version=1.2.3 --var "changes=[Fix login]" --var url=https://example.com/r --dry-run',
        'dingcast render --dry-run --format html --out preview.html',
      ]),
    )
    .action(async (ids: string[], opts: RenderOptions & { json?: boolean }) => {
      checkJsonFormat(opts);
      const { runRender } = await import('../render.js');
      ctx.setCode(await runRender(ctx.project(), ids, opts, ctx.env));
    });
}
