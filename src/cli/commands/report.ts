import { Command } from 'commander';
import { examples, jsonOption, type CommandContext } from './options.js';

export function reportCommand(ctx: CommandContext): Command {
  return new Command('report')
    .description("print a run's summary (default: the latest run)")
    .argument('[run-id]', 'a run id from reports/')
    .option('--refresh', 'ask DingTalk again for progress and results (within 24 h) and rewrite the reports')
    .addOption(jsonOption('print the report JSON'))
    .addHelpText('after', examples(['dingcast report', 'dingcast report 20261126T090000Z-1a2b3c --refresh'], 'Exit codes: 0 no recipient failed, 1 a call or recipient failed, 2 no such run / cannot reach DingTalk.'))
    .action(async (runId: string | undefined, opts: { refresh?: boolean; json?: boolean }) => {
      const { runReport } = await import('../runs.js');
      ctx.setCode(await runReport(ctx.project(), runId, opts, ctx.env));
    });
}
