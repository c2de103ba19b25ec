import { appendFile } from 'node:fs/promises';

/**
 * Under GitHub Actions, appends Markdown to the job summary (`$GITHUB_STEP_SUMMARY`); elsewhere does nothing.
 * Returns whether it wrote. Several steps and commands append to the same file, so each part ends in a blank line.
 */
export async function appendStepSummary(markdown: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = env.GITHUB_STEP_SUMMARY;
  if (env.GITHUB_ACTIONS !== 'true' || !file) return false;
  await appendFile(file, markdown.replace(/\n*$/, '\n\n'), 'utf8');
  return true;
}

export function isGitHubActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true';
}
