import { Command, Option } from 'commander';
import type { MediaUploadOptions } from '../media.js';
import { checkJsonFormat, examples, formatOption, jsonFormatOption, type CommandContext } from './options.js';

export function mediaCommand(ctx: CommandContext): Command {
  const media = new Command('media').description('media files for image, voice and file messages');
  media.addCommand(
    new Command('upload')
      .description('upload a file with media/upload and print its media_id (send uploads files named in templates by itself)')
      .argument('<file>', 'the file, relative to the project folder')
      .addOption(new Option('--type <type>', 'upload type (default: from the file\'s bytes: an image → image, amr/mp3/wav → voice, else file)').choices(['image', 'voice', 'file']))
      .addOption(formatOption(['text', 'json']))
      .addOption(jsonFormatOption())
      .addHelpText('after', examples(['dingcast media upload assets/spring-party.png', 'dingcast media upload assets/monthly-report-2026-03.csv --json', 'id=$(dingcast media upload assets/standup-chime.wav)'], 'Needs DINGTALK_APP_KEY and DINGTALK_APP_SECRET, or for app.kind: isv DINGTALK_SUITE_KEY, DINGTALK_SUITE_SECRET, DINGTALK_SUITE_TICKET and DINGTALK_CORP_ID (DINGTALK_BASE_URL for a sandbox). Exit codes: 0 uploaded, 1 the file breaks a DingTalk limit, 2 could not upload.'))
      .action(async (file: string, opts: MediaUploadOptions & { json?: boolean }) => {
        checkJsonFormat(opts);
        const { runMediaUpload } = await import('../media.js');
        ctx.setCode(await runMediaUpload(ctx.project(), file, opts, ctx.env));
      }),
  );
  return media;
}
