import { Command } from 'commander';
import type { ScheduleOptions } from '../schedule.js';
import { atOption, examples, jsonOption, type CommandContext } from './options.js';

export function scheduleCommand(ctx: CommandContext): Command {
  return new Command('schedule')
    .description("list each scheduled notification's next fire times and the last slot it fired")
    .addOption(jsonOption())
    .addOption(atOption('as if it were this time'))
    .option('-n <count>', 'how many fire times to list', '3')
    .option('--sandbox', 'show the slots fired by `send --due --sandbox`')
    .addHelpText('after', examples(['dingcast schedule', 'dingcast schedule -n 10 --at 2026-09-18T00:00:00+08:00', 'dingcast schedule --json'], 'Exit codes: 0 listed, 1 a schedule or calendar file has a problem, 2 could not run.'))
    .action(async (opts: ScheduleOptions) => {
      const { runSchedule } = await import('../schedule.js');
      ctx.setCode(await runSchedule(ctx.project(), opts, ctx.env));
    });
}
