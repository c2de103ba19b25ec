import { Command } from 'commander';
import type { SendOptions } from '../send.js';
import { atOption, examples, jsonOption, type CommandContext } from './options.js';

export function sendCommand(ctx: CommandContext): Command {
  return new Command('send')
    .description('plan, then send through asyncsend_v2, follow each task up and write the run reports')
    .argument('[ids...]', 'notification ids')
    .option('--all', 'every enabled notification')
    .option('--dry-run', 'print the plan and stop')
    .option('--save-plan <file>', 'write the plan to a file')
    .option('--plan <file>', 'apply exactly a saved plan (refused when the project or ledger changed since)')
    .option('--sandbox', 'send to an in-process sandbox instead of DingTalk (no credentials needed)')
    .option('-y, --yes', 'send without asking (a real send from a terminal asks first; cron, CI and pipes never do)')
    .option('--force', 'send even to recipients the ledger says already got this content today')
    .option('--over-quota', 'send although the run goes over app.monthly_call_quota (DingTalk may answer 90020)')
    .option('--no-wait', 'skip the follow-up (`report --refresh` does it later)')
    .option('--wait-timeout <seconds>', 'give up following tasks after this long', '120')
    .option('--lock-wait <seconds>', 'wait this long for another run on this project to finish', '0')
    .addOption(atOption('plan as if it were this time'))
    .option('--due', 'send the notifications whose schedule fired since their last fired slot (from the ledger)')
    .option('--window <dur>', 'with --due: for notifications the ledger never fired, count firings this recent (default 15m)')
    .addOption(jsonOption('print the plan (with --dry-run) or the report as JSON on stdout'))
    .addHelpText(
      'after',
      examples(
        [
          'dingcast send --all --sandbox',
          'dingcast send daily-report-platform --dry-run',
          'dingcast send --all --dry-run --save-plan plan.json && dingcast send --plan plan.json',
          'dingcast send --due --lock-wait 60          # from cron: what the schedules say is due',
          'dingcast send --due --window 15m            # a CI runner without .dingcast/',
        ],
        'Credentials: DINGTALK_APP_KEY, DINGTALK_APP_SECRET (and DINGTALK_AGENT_ID, DINGTALK_BASE_URL) from the environment, or the project\'s .env for what it does not set.',
        'Exit codes: 0 all accepted and delivered, 1 a call or recipient failed, 2 could not run.',
      ),
    )
    .action(async (ids: string[], opts: SendOptions) => {
      const { runSend } = await import('../send.js');
      ctx.setCode(await runSend(ctx.project(), ids, opts, ctx.env));
    });
}
