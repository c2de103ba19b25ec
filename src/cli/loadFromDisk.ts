import { loadProject } from '../core/load/loadProject.js';
import { collectMediaRefs } from '../core/media/collect.js';
import type { Project, ProjectFiles } from '../core/project.js';
import { UserError } from '../errors.js';
import { readMediaFiles } from '../io/media/readMediaFiles.js';
import { readProjectFiles } from '../io/readProject.js';

/** Read and load the project folder; a folder without notifications.yaml is not a project (exit 2). */
export async function loadProjectFrom(dir: string): Promise<Project> {
  const files = await readProjectFiles(dir);
  requireNotifications(dir, files);
  const project = loadProject(files);
  // Local media (`media_id: ./assets/x.png`) may come from variables: render once to learn which files to read.
  const refs = collectMediaRefs(project, new Date());
  if (refs.size > 0) project.media = await readMediaFiles(dir, refs);
  return project;
}

export function requireNotifications(dir: string, files: ProjectFiles): void {
  if (!files.notifications && !files.problems?.some((p) => p.file === 'notifications.yaml')) {
    throw new UserError(`no notifications.yaml in ${dir === '.' ? 'the current folder' : dir}`, 'Run dingcast in a project folder, pass --project DIR, or scaffold one with `dingcast init`.');
  }
}
