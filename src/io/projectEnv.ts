import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { UserError } from '../errors.js';

/**
 * A project's `.env` (git-ignored by `dingcast init`): the credentials and DINGCAST_STATE a developer keeps beside
 * the project instead of exporting them in every shell. Variables already in the environment win, so CI, cron and a
 * one-off `DINGTALK_BASE_URL=… dingcast send` still decide. Parsed by dotenv's `parse` only: nothing is written to
 * process.env and nothing is logged (the values are secrets).
 */
export async function withProjectEnv(projectDir: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const path = join(projectDir, '.env');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return env; // no .env (or no project: the command says so)
    throw new UserError(`cannot read ${path} (${code ?? String(e)})`, 'dingcast reads the project\'s .env for variables the environment does not set; fix its permissions or remove it');
  }
  const fromFile = parse(text);
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(fromFile)) if (merged[name] === undefined) merged[name] = value;
  return merged;
}
