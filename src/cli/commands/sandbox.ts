import { Command } from 'commander';
import type { CommandContext } from './options.js';

export function sandboxCommand(ctx: CommandContext): Command {
  return new Command('sandbox')
    .description('start the local DingTalk emulator with an inbox web page')
    .option('--port <port>', 'port to listen on', '8787')
    .option('--config <file>', 'directory/apps YAML (default: one app and every user notifications.yaml names)')
    .addHelpText('after', '\nThen: DINGTALK_BASE_URL=http://127.0.0.1:8787 DINGTALK_APP_KEY=sandbox-app-key DINGTALK_APP_SECRET=sandbox-app-secret dingcast send ...')
    .action(async (opts: { port: string; config?: string }) => {
      const { runSandbox } = await import('../sandbox.js');
      ctx.setCode(await runSandbox(ctx.project(), opts));
    });
}
