import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { printError } from './output.js';

/**
 * The one exit point: every command returns its exit code here (0 ok, 1 problems found, 2 could not do its job).
 * Command modules are imported only when their command runs, so `validate` does not pay for the sender or sandbox.
 */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return printError(e);
  }
}

function buildProgram(setCode: (code: number) => void): Command {
  const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  const program = new Command('dingcast')
    .description('DingTalk work notifications as code: validate, preview and send YAML-defined messages.')
    .version(version)
    .option('-p, --project <dir>', 'project folder', '.')
    .option('--no-color', 'never print colour')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str) });

  program
    .command('validate')
    .description('check every template and notifications.yaml; report every problem at once')
    .option('--format <format>', 'text | json', 'text')
    .addHelpText('after', '\nExamples:\n  dingcast validate\n  dingcast validate --project ./notices --format json\n\nExit codes: 0 valid (warnings allowed), 1 problems found, 2 could not run.')
    .action(async (opts: { format: string }) => {
      const { runValidate } = await import('./validate.js');
      setCode(await runValidate({ project: program.opts<{ project: string }>().project, format: opts.format }));
    });

  program
    .command('render')
    .description('render notifications (or templates) and show what would be sent')
    .argument('[ids...]', 'notification ids, or template ids with --example/--var/--vars (default: every notification)')
    .option('--dry-run', 'print only; write nothing')
    .option('--all', 'every notification (the default when no id is given)')
    .option('--example <name>', 'render a template with one of its examples')
    .option('--var <k=v>', 'a template variable (repeatable; the value is parsed as YAML)', collect, [])
    .option('--vars <file>', 'a JSON/YAML file of template variables')
    .option('--format <format>', 'text | json | html', 'text')
    .option('--out <path>', 'without --dry-run: folder for the rendered msg files (default build); with --format html: the page file (default stdout)')
    .option('--at <iso>', 'render as if it were this time (for @now/@today)')
    .addHelpText('after', '\nExamples:\n  dingcast render --dry-run\n  dingcast render daily-report-platform --dry-run --format json\n  dingcast render release-note --example typical --dry-run\n  dingcast render release-note --var service=api --var version=1.2.3 --var "changes=[Fix login]" --var url=https://example.com/r --dry-run\n  dingcast render --dry-run --format html --out preview.html')
    .action(async (ids: string[], opts: import('./render.js').RenderOptions) => {
      const { runRender } = await import('./render.js');
      setCode(await runRender(program.opts<{ project: string }>().project, ids, opts));
    });

  program
    .command('send')
    .description('plan, then send through asyncsend_v2, follow each task up and write the run reports')
    .argument('[ids...]', 'notification ids')
    .option('--all', 'every enabled notification')
    .option('--dry-run', 'print the plan and stop')
    .option('--save-plan <file>', 'write the plan to a file')
    .option('--plan <file>', 'apply exactly a saved plan (refused when the project or ledger changed since)')
    .option('--sandbox', 'send to an in-process sandbox instead of DingTalk (no credentials needed)')
    .option('--force', 'send even to recipients the ledger says already got this content today')
    .option('--no-wait', 'skip the follow-up (`report --refresh` does it later)')
    .option('--wait-timeout <seconds>', 'give up following tasks after this long', '120')
    .option('--lock-wait <seconds>', 'wait this long for another run on this project to finish', '0')
    .option('--at <iso>', 'plan as if it were this time')
    .option('--due', 'send the notifications whose schedule fired since their last fired slot (from the ledger)')
    .option('--window <dur>', 'with --due: for notifications the ledger never fired, count firings this recent (default 15m)')
    .option('--json', 'print the plan (with --dry-run) or the report as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  dingcast send --all --sandbox\n  dingcast send daily-report-platform --dry-run\n  dingcast send --all --dry-run --save-plan plan.json && dingcast send --plan plan.json\n  dingcast send --due --lock-wait 60          # from cron: what the schedules say is due\n  dingcast send --due --window 15m            # a CI runner without .dingcast/\n\nCredentials: DINGTALK_APP_KEY, DINGTALK_APP_SECRET (and DINGTALK_AGENT_ID, DINGTALK_BASE_URL) from the environment.\nExit codes: 0 all accepted and delivered, 1 a call or recipient failed, 2 could not run.')
    .action(async (ids: string[], opts: import('./send.js').SendOptions) => {
      const { runSend } = await import('./send.js');
      setCode(await runSend(program.opts<{ project: string }>().project, ids, opts));
    });

  program
    .command('report')
    .description("print a run's summary (default: the latest run)")
    .argument('[run-id]', 'a run id from reports/')
    .option('--refresh', 'ask DingTalk again for progress and results (within 24 h) and rewrite the reports')
    .option('--json', 'print the report JSON')
    .addHelpText('after', '\nExamples:\n  dingcast report\n  dingcast report 20261126T090000Z-1a2b3c --refresh\n\nExit codes: 0 no recipient failed, 1 a call or recipient failed, 2 no such run / cannot reach DingTalk.')
    .action(async (runId: string | undefined, opts: { refresh?: boolean; json?: boolean }) => {
      const { runReport } = await import('./runs.js');
      setCode(await runReport(program.opts<{ project: string }>().project, runId, opts));
    });

  program
    .command('recall')
    .description("recall a run's messages (within 24 h of sending) and record it in the report")
    .argument('<run-id>', 'a run id from reports/')
    .argument('[ids...]', 'only these notifications')
    .addHelpText('after', '\nExamples:\n  dingcast recall 20261126T090000Z-1a2b3c\n  dingcast recall 20261126T090000Z-1a2b3c release-api\n\nExit codes: 0 recalled, 1 DingTalk refused some, 2 no such run.')
    .action(async (runId: string, ids: string[]) => {
      const { runRecall } = await import('./runs.js');
      setCode(await runRecall(program.opts<{ project: string }>().project, runId, ids));
    });

  program
    .command('status-bar')
    .description("update the status bar of a run's OA messages (e.g. 待审批 → 已同意)")
    .argument('<run-id>', 'a run id from reports/')
    .argument('[ids...]', 'only these notifications')
    .requiredOption('--value <text>', 'the new status text')
    .option('--bg <colour>', 'status colour, 0xAARRGGBB (approved 0xFF78C06E, rejected 0xFFF65E5E)')
    .addHelpText('after', '\nExamples:\n  dingcast status-bar 20261126T090000Z-1a2b3c approval-expense --value 已同意 --bg 0xFF78C06E\n\nExit codes: 0 updated, 1 DingTalk refused some, 2 no such run or bad colour.')
    .action(async (runId: string, ids: string[], opts: { value: string; bg?: string }) => {
      const { runStatusBar } = await import('./runs.js');
      setCode(await runStatusBar(program.opts<{ project: string }>().project, runId, ids, opts));
    });

  program
    .command('diff')
    .description('render what changed since a git revision: message diffs, sizes, recipients, version pins')
    .option('--base <rev>', 'git revision to compare with (default: the merge base with the default branch)')
    .option('--format <format>', 'text | md (a pull-request comment)', 'text')
    .option('--at <iso>', 'render both sides as if it were this time (for @now/@today)')
    .addHelpText('after', '\nExamples:\n  dingcast diff\n  dingcast diff --base origin/main --format md > comment.md\n\nNeeds git. Under GitHub Actions the Markdown is also appended to $GITHUB_STEP_SUMMARY.\nExit codes: 0 diff printed (changes or not), 2 could not run (no git, not a repository, unknown revision).')
    .action(async (opts: import('./diff.js').DiffOptions) => {
      const { runDiff } = await import('./diff.js');
      setCode(await runDiff(program.opts<{ project: string }>().project, opts));
    });

  program
    .command('init')
    .description('scaffold a project: notifications.yaml, one template, .gitignore entries, editor schema links')
    .argument('[dir]', 'folder to create the project in (default: --project, else the current folder)')
    .option('--copy-schema', 'copy the JSON Schemas into DIR/schema even when dingcast is installed in node_modules')
    .addHelpText('after', '\nExamples:\n  dingcast init\n  dingcast init notices && dingcast validate --project notices\n\nNever overwrites: exits 2 naming any file that already exists.')
    .action(async (dir: string | undefined, opts: { copySchema?: boolean }) => {
      const { runInit } = await import('./init.js');
      setCode(await runInit(dir ?? program.opts<{ project: string }>().project, opts));
    });

  program
    .command('schedule')
    .description("list each scheduled notification's next fire times and the last slot it fired")
    .option('--json', 'machine-readable output on stdout')
    .option('--at <iso>', 'as if it were this time')
    .option('-n <count>', 'how many fire times to list', '3')
    .option('--sandbox', 'show the slots fired by `send --due --sandbox`')
    .addHelpText('after', '\nExamples:\n  dingcast schedule\n  dingcast schedule -n 10 --at 2026-09-18T00:00:00+08:00\n  dingcast schedule --json\n\nExit codes: 0 listed, 1 a schedule or calendar file has a problem, 2 could not run.')
    .action(async (opts: import('./schedule.js').ScheduleOptions) => {
      const { runSchedule } = await import('./schedule.js');
      setCode(await runSchedule(program.opts<{ project: string }>().project, opts));
    });

  program
    .command('sandbox')
    .description('start the local DingTalk emulator with an inbox web page')
    .option('--port <port>', 'port to listen on', '8787')
    .option('--config <file>', 'directory/apps YAML (default: one app and every user notifications.yaml names)')
    .addHelpText('after', '\nThen: DINGTALK_BASE_URL=http://127.0.0.1:8787 DINGTALK_APP_KEY=sandbox-app-key DINGTALK_APP_SECRET=sandbox-app-secret dingcast send ...')
    .action(async (opts: { port: string; config?: string }) => {
      const { runSandbox } = await import('./sandbox.js');
      setCode(await runSandbox(program.opts<{ project: string }>().project, opts));
    });

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
