import { Command } from 'commander';
import type { CommandContext } from './options.js';

export function directoryCommand(ctx: CommandContext): Command {
  const directory = new Command('directory').description('the organisation: pull it from DingTalk, look people and departments up');
  directory
    .command('pull')
    .description('read departments and users through the contacts APIs (not metered) into .dingcast/directory.json')
    .option('--sandbox', 'pull from an in-process sandbox (its sample company) instead of DingTalk')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      '\nExamples:\n  dingcast directory pull\n  dingcast directory pull --sandbox\n\nThe file holds names and mobiles: keep it out of git (`dingcast init` ignores .dingcast/).\nWith it, `validate` and `send` check every userid and department id before anything leaves.\nCredentials: DINGTALK_APP_KEY, DINGTALK_APP_SECRET (the app needs the contacts read permission), DINGTALK_BASE_URL;\nfor app.kind: isv the suite variables DINGTALK_SUITE_KEY, DINGTALK_SUITE_SECRET, DINGTALK_SUITE_TICKET and DINGTALK_CORP_ID.',
    )
    .action(async (opts: { sandbox?: boolean; json?: boolean }) => {
      const { runDirectoryPull } = await import('../directory.js');
      ctx.setCode(await runDirectoryPull(ctx.project(), opts, ctx.env));
    });
  directory
    .command('find')
    .description('people and departments whose name, mobile or id contains TEXT')
    .argument('<text>', 'a name (张三), a mobile, a userid or a department id')
    .option('--json', 'print the matches as JSON on stdout')
    .addHelpText('after', '\nExamples:\n  dingcast directory find 张三\n  dingcast directory find 138000\n  dingcast directory find 研发部\n\nExit codes: 0 found, 1 nothing matches, 2 no directory yet.')
    .action(async (text: string, opts: { json?: boolean }) => {
      const { runDirectoryFind } = await import('../directory.js');
      ctx.setCode(await runDirectoryFind(ctx.project(), text, opts));
    });
  return directory;
}
