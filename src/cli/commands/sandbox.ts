import { Command } from 'commander';
import { examples, jsonOption, type CommandContext } from './options.js';

export function sandboxCommand(ctx: CommandContext): Command {
  return new Command('sandbox')
    .description('start the local DingTalk emulator with an inbox web page')
    .option('--port <port>', 'port to listen on', '8787')
    .option('--config <file>', 'apps, tunables and faults YAML (default: one internal app)')
    .addOption(jsonOption('once listening, print the URL, apps and DINGTALK_* variables as one line of JSON on stdout (instead of the URL alone)'))
    .option('--directory <file>', 'the organisation (YAML/JSON: departments with members; or a pulled .dingcast/directory.json). Default: the sample company 示例科技 (zhangsan, lisi, wangwu, zhaoliu…)')
    .addHelpText(
      'after',
      examples(
        [
          'dingcast sandbox                               # http://127.0.0.1:8787/ shows every inbox',
          'dingcast sandbox --port 0                      # any free port; the URL is printed',
          'dingcast sandbox --directory .dingcast/directory.json   # your own organisation, pulled',
          'dingcast sandbox --config faults.yaml          # apps, limits and injected faults',
          'dingcast sandbox --port 0 --json               # {"url":…,"apps":[…],"env":{…}} for scripts',
        ],
        'Ids not in the directory are invalid, as at DingTalk.',
        'Then: DINGTALK_BASE_URL=http://127.0.0.1:8787 DINGTALK_APP_KEY=sandbox-app-key DINGTALK_APP_SECRET=sandbox-app-secret dingcast send ...',
        '(or put those three lines in the project\'s .env)',
      ),
    )
    .action(async (opts: { port: string; config?: string; directory?: string; json?: boolean }) => {
      const { runSandbox } = await import('../sandbox.js');
      ctx.setCode(await runSandbox(ctx.project(), opts));
    });
}
