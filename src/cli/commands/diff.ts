import { Command } from 'commander';
import type { DiffOptions } from '../diff.js';
import { atOption, checkJsonFormat, examples, formatOption, jsonFormatOption, type CommandContext } from './options.js';

export function diffCommand(ctx: CommandContext): Command {
  return new Command('diff')
    .description('render what changed since a git revision: message diffs, sizes, recipients, version pins')
    .option('--base <rev>', 'git revision to compare with (default: the merge base with the default branch)')
    .addOption(formatOption(['text', 'md', 'json'], 'output format (md: a pull-request comment)'))
    .addOption(jsonFormatOption())
    .addOption(atOption('render both sides as if it were this time (for @now/@today)'))
    .addHelpText(
      'after',
      examples(
        ['dingcast diff', 'dingcast diff --base origin/main --format md > comment.md', 'dingcast diff --json'],
        'Needs git. Under GitHub Actions the Markdown is also appended to $GITHUB_STEP_SUMMARY.',
        'Exit codes: 0 diff printed (changes or not), 2 could not run (no git, not a repository, unknown revision).',
      ),
    )
    .action(async (opts: DiffOptions & { json?: boolean }) => {
      checkJsonFormat(opts);
      const { runDiff } = await import('../diff.js');
      ctx.setCode(await runDiff(ctx.project(), opts, ctx.env));
    });
}
