import { Command } from 'commander';
import { atOption, examples, jsonOption, type CommandContext } from './options.js';

const TARGET = 'the state of `send --sandbox` (its own ledger / scope)';
const WHERE =
  'Which state: DINGCAST_STATE=postgres://… (a secret, from the environment) selects PostgreSQL, otherwise the .dingcast/ files;\nDINGTALK_BASE_URL and the agent id pick the scope, as for `send`. DINGCAST_STATE is never printed (its password is not shown).';

/** `dingcast state status | unlock --force | import FILE | export | compact` (design.md §7). */
export function stateCommand(ctx: CommandContext): Command {
  const state = new Command('state').description('look after the ledger and the lock that `send` keeps (.dingcast/ files or PostgreSQL)');
  state
    .command('status')
    .description('backend, scope, lock holder and expiry, ledger size and each notification\'s last slot')
    .option('--sandbox', TARGET)
    .addOption(jsonOption())
    .addHelpText('after', examples(['dingcast state status', 'DINGCAST_STATE=postgres://dingcast@db/dingcast dingcast state status --json'], WHERE, 'Exit codes: 0 shown, 2 the state could not be read.'))
    .action(async (opts: { sandbox?: boolean; json?: boolean }) => {
      const { runStateStatus } = await import('../state.js');
      ctx.setCode(await runStateStatus(ctx.project(), opts, ctx.env));
    });
  state
    .command('unlock')
    .description('let go of the run lock whoever holds it (for a holder you know is dead and cannot wait for)')
    .option('--force', 'required: a run still sending is stopped before its next call')
    .option('--sandbox', TARGET)
    .addOption(jsonOption('print the lock that was released as JSON on stdout'))
    .addHelpText('after', examples(['dingcast state unlock --force'], 'A killed run lets go by itself: on this machine at once, elsewhere within one lease (60 s). Use this only when you cannot wait.', WHERE))
    .action(async (opts: { sandbox?: boolean; force?: boolean; json?: boolean }) => {
      const { runStateUnlock } = await import('../state.js');
      ctx.setCode(await runStateUnlock(ctx.project(), opts, ctx.env));
    });
  state
    .command('import')
    .description('copy a file ledger (.dingcast/ledger*.jsonl) into PostgreSQL; importing it twice adds nothing')
    .argument('<file>', 'a file ledger, e.g. .dingcast/ledger.jsonl')
    .option('--sandbox', 'into the scope of `send --sandbox` (for .dingcast/ledger.sandbox.jsonl)')
    .addOption(jsonOption('print the counts as JSON on stdout'))
    .addHelpText('after', examples(['DINGCAST_STATE=postgres://dingcast@db/dingcast dingcast state import .dingcast/ledger.jsonl'], 'The file is checked first (a damaged line stops the import); it is one transaction.', WHERE))
    .action(async (file: string, opts: { sandbox?: boolean; json?: boolean }) => {
      const { runStateImport } = await import('../state.js');
      ctx.setCode(await runStateImport(ctx.project(), file, opts, ctx.env));
    });
  state
    .command('export')
    .description('print the whole ledger as JSONL (the file format), e.g. for a backup or to move it')
    .option('--out <file>', 'write it to FILE (atomically) instead of stdout')
    .option('--sandbox', TARGET)
    .addHelpText('after', examples(['dingcast state export > backup.jsonl', 'dingcast state export --out backup.jsonl'], WHERE))
    .action(async (opts: { sandbox?: boolean; out?: string }) => {
      const { runStateExport } = await import('../state.js');
      ctx.setCode(await runStateExport(ctx.project(), opts, ctx.env));
    });
  state
    .command('compact')
    .description('drop ledger records older than --keep-days (each notification\'s last slot is kept), so the state does not grow forever')
    .option('--keep-days <n>', 'days to keep (at least 7)', '7')
    .option('--dry-run', 'only say how many records would go')
    .option('--lock-wait <seconds>', 'wait this long for a running send to finish', '0')
    .option('--sandbox', TARGET)
    .addOption(atOption('count days back from this time'))
    .addOption(jsonOption('print the counts as JSON on stdout'))
    .addHelpText('after', examples(['dingcast state compact', 'dingcast state compact --keep-days 30 --dry-run'], 'It takes the run lock, like a send. Exit codes: 0 done, 2 the lock is held or the state could not be rewritten.', WHERE))
    .action(async (opts: { sandbox?: boolean; keepDays: string; dryRun?: boolean; lockWait: string; at?: Date; json?: boolean }) => {
      const { runStateCompact } = await import('../state.js');
      ctx.setCode(await runStateCompact(ctx.project(), opts, ctx.env));
    });
  return state;
}
