import { loadProject } from '../core/load/loadProject.js';
import { diffProjects } from '../review/diffProjects.js';
import { formatDiffMarkdown } from '../review/formatDiffMarkdown.js';
import { formatDiffText } from '../review/formatDiffText.js';
import { findRepo, resolveBase } from '../review/git.js';
import { readProjectFilesAt } from '../review/gitProject.js';
import { appendStepSummary } from '../review/stepSummary.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { log, out } from './output.js';

export interface DiffOptions {
  base?: string;
  format: 'text' | 'md' | 'json';
  at?: Date;
}

/** Renders the project at the base revision and in the working tree the same way, and prints what changed. */
export async function runDiff(projectDir: string, opts: DiffOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.at ?? new Date();
  const repo = await findRepo(projectDir);
  const base = await resolveBase(repo.root, opts.base, env);
  const newProject = await loadProjectFrom(projectDir, now);
  const oldFiles = await readProjectFilesAt(repo, base.commit);
  const oldProject = oldFiles ? loadProject(oldFiles) : undefined;
  const short = base.commit.slice(0, 7);
  if (!oldProject) log(`no dingcast project at ${base.label} (${short}): everything is new`);
  const diff = diffProjects(oldProject, newProject, { now }, { old: short, new: 'working tree' });
  const heading = { base: base.label, commit: base.commit };
  const markdown = formatDiffMarkdown(diff, heading);
  if (opts.format === 'json') out(JSON.stringify({ format: 'dingcast.diff/v1', base: { label: base.label, commit: base.commit }, ...diff }, null, 2));
  else out(opts.format === 'md' ? markdown : formatDiffText(diff, heading));
  await appendStepSummary(markdown, env);
  return 0;
}
