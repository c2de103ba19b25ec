import { Command } from 'commander';
import { examples, jsonOption, type CommandContext } from './options.js';

export function statusBarCommand(ctx: CommandContext): Command {
  return new Command('status-bar')
    .description("update the status bar of a run's OA messages (e.g. 待审批 → 已同意)")
    .argument('<run-id>', 'a run id from reports/')
    .argument('[ids...]', 'only these notifications')
    .requiredOption('--value <text>', 'the new status text')
    .option('--bg <colour>', 'status colour, 0xAARRGGBB (approved 0xFF78C06E, rejected 0xFFF65E5E)')
    .addOption(jsonOption('print each call\'s result as JSON on stdout'))
    .addHelpText('after', examples(['dingcast status-bar 20261126T090000Z-1a2b3c approval-expense --value 已同意 --bg 0xFF78C06E'], 'Exit codes: 0 updated, 1 DingTalk refused some, 2 no such run or bad colour.'))
    .action(async (runId: string, ids: string[], opts: { value: string; bg?: string; json?: boolean }) => {
      const { runStatusBar } = await import('../runs.js');
      ctx.setCode(await runStatusBar(ctx.project(), runId, ids, opts, ctx.env));
    });
}
