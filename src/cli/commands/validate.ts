import { Command } from 'commander';
import { examples, formatOption, checkJsonFormat, jsonFormatOption, type CommandContext } from './options.js';

export function validateCommand(ctx: CommandContext): Command {
  return new Command('validate')
    .description('check every template and notifications.yaml; report every problem at once')
    .addOption(formatOption(['text', 'json']))
    .addOption(jsonFormatOption())
    .addHelpText('after', examples(['dingcast validate', 'dingcast validate --project ./notices --json'], 'Exit codes: 0 valid (warnings allowed), 1 problems found, 2 could not run.'))
    .action(async (opts: { format: 'text' | 'json'; json?: boolean }) => {
      checkJsonFormat(opts);
      const { runValidate } = await import('../validate.js');
      ctx.setCode(await runValidate({ project: ctx.project(), format: opts.format }, ctx.env));
    });
}
