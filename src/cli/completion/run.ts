import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { UserError } from '../../errors.js';
import { out } from '../output.js';
import { bashCompletion } from './bash.js';
import { fishCompletion } from './fish.js';
import { describeCommand } from './spec.js';
import { zshCompletion } from './zsh.js';

const SCRIPTS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion };

export async function runCompletion(projectDir: string, shell: keyof typeof SCRIPTS | undefined, opts: { ids?: boolean }, program: Command): Promise<number> {
  if (opts.ids) {
    out((await notificationIds(projectDir)).join('\n'));
    return 0;
  }
  if (shell === undefined) throw new UserError('name the shell: dingcast completion bash, zsh or fish', 'e.g. source <(dingcast completion bash) in ~/.bashrc');
  out(SCRIPTS[shell](describeCommand(program)));
  return 0;
}

/** Read on every Tab, so only notifications.yaml and only its keys: a broken or missing file offers nothing. */
async function notificationIds(projectDir: string): Promise<string[]> {
  try {
    const doc = parse(await readFile(join(projectDir, 'notifications.yaml'), 'utf8')) as { notifications?: unknown } | null;
    const notifications = doc?.notifications;
    return notifications !== null && typeof notifications === 'object' ? Object.keys(notifications) : [];
  } catch {
    return [];
  }
}
