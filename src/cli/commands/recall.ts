import { Command } from 'commander';
import { examples, jsonOption, type CommandContext } from './options.js';

export function recallCommand(ctx: CommandContext): Command {
  return new Command('recall')
    .description("recall a run's messages (within 24 h of sending) and record it in the report")
    .argument('<run-id>', 'a run id from reports/')
    .argument('[ids...]', 'only these notifications')
    .addOption(jsonOption('print each call\'s result as JSON on stdout'))
    .option('-y, --yes', 'recall a whole run without asking (from a terminal it asks first; cron, CI and pipes never do)')
    .addHelpText('after', examples(['dingcast recall 20261126T090000Z-1a2b3c', 'dingcast recall 20261126T090000Z-1a2b3c release-api'], 'Exit codes: 0 recalled, 1 DingTalk refused some, 2 no such run or not confirmed.'))
    .action(async (runId: string, ids: string[], opts: { json?: boolean; yes?: boolean }) => {
      const { runRecall } = await import('../runs.js');
      ctx.setCode(await runRecall(ctx.project(), runId, ids, opts, ctx.env));
    });
}
