import type { Project, ProjectFiles } from '../core/project.js';
import { UserError } from '../errors.js';
import { readProjectSide, type ProjectSide } from '../io/readProject.js';

/**
 * Read the project folder once, the way `send` does (io/readProject.ts readProjectSide: files, the loaded project
 * with its local media, the calendars, the pulled directory); a folder without notifications.yaml is not a
 * project (exit 2).
 */
export async function readProjectFolder(dir: string, now: Date): Promise<ProjectSide & { project: Project }> {
  const side = await readProjectSide(dir, now);
  requireNotifications(dir, side.files);
  if (!side.project) throw new Error(`readProjectFolder: ${dir} has notifications.yaml but no project was loaded`);
  return { ...side, project: side.project };
}

/** The project alone, for commands that need neither the calendars nor the directory. */
export async function loadProjectFrom(dir: string, now: Date = new Date()): Promise<Project> {
  return (await readProjectFolder(dir, now)).project;
}

export function requireNotifications(dir: string, files: ProjectFiles): void {
  if (!files.notifications && !files.problems?.some((p) => p.file === 'notifications.yaml')) {
    throw new UserError(`no notifications.yaml in ${dir === '.' ? 'the current folder' : dir}`, 'Run dingcast in a project folder, pass --project DIR, or scaffold one with `dingcast init`.');
  }
}
