import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { completionCommand } from './commands/completion.js';
import { diffCommand } from './commands/diff.js';
import { directoryCommand } from './commands/directory.js';
import { initCommand } from './commands/init.js';
import { mediaCommand } from './commands/media.js';
import { examples, resolveAt, type CommandContext } from './commands/options.js';
import { recallCommand } from './commands/recall.js';
import { remindCommand } from './commands/remind.js';
import { renderCommand } from './commands/render.js';
import { reportCommand } from './commands/report.js';
import { sandboxCommand } from './commands/sandbox.js';
import { scheduleCommand } from './commands/schedule.js';
import { sendCommand } from './commands/send.js';
import { stateCommand } from './commands/state.js';
import { statusBarCommand } from './commands/status-bar.js';
import { validateCommand } from './commands/validate.js';
import { withProjectEnv } from '../io/projectEnv.js';
import { printError } from './output.js';

/**
 * The one exit point: every command returns its exit code here (0 ok, 1 problems found, 2 could not do its job).
 * Each command lives in commands/<name>.ts and imports its implementation only when it runs, so `validate` does
 * not pay for the sender or the sandbox.
 */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let code = 0;
  const program = buildProgram({ env, setCode: (c) => (code = c) });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return printError(e);
  }
}

function buildProgram(ctx: Omit<CommandContext, 'project'>): Command {
  const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  const program = new Command('dingcast')
    .description('DingTalk work notifications as code: validate, preview and send YAML-defined messages.')
    .version(version)
    .option('-p, --project <dir>', 'project folder', '.')
    .option('--no-color', 'never print colour')
    .addHelpText(
      'after',
      examples(
        [
          'dingcast init                        # a new project here: notifications.yaml, one template',
          'dingcast validate                    # every problem in every file, at once',
          'dingcast render --dry-run --format html --out preview.html',
          'dingcast send --all --sandbox        # try it all against a local DingTalk, no credentials',
          'dingcast send --all --dry-run        # the plan: calls, recipients, bytes',
          'dingcast send --due --lock-wait 60   # from cron: what the schedules say is due',
          'dingcast report                      # the latest run: who read it, who failed',
        ],
        'Environment: DINGTALK_APP_KEY, DINGTALK_APP_SECRET, DINGTALK_AGENT_ID, DINGTALK_BASE_URL, DINGCAST_STATE, NO_COLOR.',
        'A .env file in the project folder supplies the ones the environment does not set (keep it out of git).',
        'Exit codes: 0 ok, 1 problems found or a recipient failed, 2 could not do its job.',
      ),
    )
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str) })
    .hook('preAction', async (_program, action) => {
      const project = program.opts<{ project: string }>().project;
      context.env = await withProjectEnv(project, ctx.env);
      await resolveAt(action, project);
    });
  const context: CommandContext = { ...ctx, project: () => program.opts<{ project: string }>().project };
  for (const make of [validateCommand, renderCommand, sendCommand, reportCommand, recallCommand, remindCommand, statusBarCommand, diffCommand, initCommand, scheduleCommand, sandboxCommand, directoryCommand, stateCommand, mediaCommand, completionCommand]) {
    // addCommand does not copy the parent's settings the way .command() does: exitOverride and output must carry over.
    const command = make(context).copyInheritedSettings(program);
    // Subcommands (`state status`, `directory pull`) were made before their parent had the settings: pass them on.
    for (const sub of command.commands) sub.copyInheritedSettings(command);
    program.addCommand(command);
  }
  return program;
}

