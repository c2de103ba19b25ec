import { Command } from 'commander';
import { parseDuration } from '../../core/duration.js';
import { UserError } from '../../errors.js';
import { atOption, examples, jsonOption, type CommandContext } from './options.js';

interface RemindOptions {
  after?: string;
  dryRun?: boolean;
  at?: Date;
  json?: boolean;
  yes?: boolean;
  wait: boolean;
  waitTimeout: string;
  lockWait: string;
}

export function remindCommand(ctx: CommandContext): Command {
  return new Command('remind')
    .description("send a run's unread reminders now: getsendresult says who has not read, each notification's `remind:` template goes to them, once")
    .argument('<run-id>', 'a run id from reports/ (within 24 h of sending)')
    .option('--after <dur>', 'only if the run was sent at least this long ago, e.g. 2h (default: now)')
    .option('--dry-run', 'show the reminders this would send, to whom and in how many calls, without asking DingTalk or sending')
    .option('-y, --yes', 'send without asking (from a terminal it asks first; cron, CI and pipes never do)')
    .option('--no-wait', 'skip the follow-up of the reminders (`report --refresh` does it later)')
    .option('--wait-timeout <seconds>', 'give up following tasks after this long', '120')
    .option('--lock-wait <seconds>', 'wait this long for another run on this project to finish', '0')
    .addOption(atOption('remind as if it were this time'))
    .addOption(jsonOption("print the reminder run's report as JSON on stdout"))
    .addHelpText(
      'after',
      examples(
        ['dingcast remind 20261202T010000Z-1a2b3c --dry-run', 'dingcast remind 20261202T010000Z-1a2b3c', 'dingcast remind 20261202T010000Z-1a2b3c --after 2h --json'],
        '`send --due` sends the reminders by itself once `remind.after` has passed; a reminder goes once, whoever sends it.',
        'Exit codes: 0 sent (or nothing left unread), 1 a reminder call or recipient failed, 2 no such run, no `remind:`, or could not run.',
      ),
    )
    .action(async (runId: string, opts: RemindOptions) => {
      const afterMs = opts.after === undefined ? undefined : parseDuration(opts.after);
      if (opts.after !== undefined && afterMs === undefined) throw new UserError(`--after \`${opts.after}\` is not a duration`, 'Write it like 30m, 2h or 1h30m.');
      const { runSend } = await import('../send.js');
      ctx.setCode(await runSend(ctx.project(), [], { wait: opts.wait, waitTimeout: opts.waitTimeout, lockWait: opts.lockWait, remindRun: runId, ...(afterMs !== undefined ? { remindAfterMs: afterMs } : {}), ...(opts.dryRun ? { dryRun: true } : {}), ...(opts.at ? { at: opts.at } : {}), ...(opts.json ? { json: true } : {}), ...(opts.yes ? { yes: true } : {}) }, ctx.env));
    });
}
