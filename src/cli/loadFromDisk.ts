import type { Project, ProjectFiles } from '../core/project.js';
import { UserError } from '../errors.js';
import { SHIPPED_CALENDARS } from '../io/calendars.js';
import { DIRECTORY_FILE } from '../io/directory.js';
import { readProjectSide, type ProjectSide } from '../io/readProject.js';
import type { ValidationInputs } from '../io/validateCache.js';

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

/** Every file and folder a command that read `side` depends on (the caches in .dingcast/cache/ are only as right as this list). */
export function inputsOf(side: ProjectSide & { project: Project }): ValidationInputs {
  const read = new Map<string, string | Uint8Array>();
  // Local media files are inputs too: a changed, grown or deleted image changes the answer.
  const mediaFiles = [...(side.project.media?.values() ?? [])].filter((m) => m.ok || m.reason !== 'outside-project').map((m) => m.file);
  return { files: ['notifications.yaml', ...filesIn(side.files, read), ...side.calendarFiles, ...mediaFiles, DIRECTORY_FILE], folders: ['templates', 'calendars', SHIPPED_CALENDARS], read };
}

/** Every `{ file, text }` the reader handed the core, wherever it sits: a new kind of input is covered without a change here. */
function filesIn(value: unknown, read: Map<string, string | Uint8Array>, found: string[] = []): string[] {
  if (value instanceof Map) for (const v of value.values()) filesIn(v, read, found);
  else if (Array.isArray(value)) for (const v of value) filesIn(v, read, found);
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.file === 'string' && ('text' in o || 'bytes' in o)) {
      found.push(o.file);
      const content = o.text ?? o.bytes;
      if (typeof content === 'string' || content instanceof Uint8Array) read.set(o.file, content);
    } else for (const v of Object.values(o)) filesIn(v, read, found);
  }
  return found;
}
