import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCalendar, type CalendarData, type CalendarSet } from '../core/schedule/index.js';
import { resolveInsideProject } from './projectPath.js';
import { readTextFile } from './readText.js';

/** dingcast's own calendars: `calendars/` beside `dist/` (or `src/`) in the installed package. */
export const SHIPPED_CALENDARS = fileURLToPath(new URL('../../calendars/', import.meta.url));

/**
 * The I/O edge of calendars: read the shipped files, then the project's `calendars/*.json`, which override a shipped
 * calendar of the same name (so a project can add next year's dates before dingcast ships them). The core gets data.
 */
export async function loadCalendars(projectDir: string): Promise<{ calendars: CalendarSet; problems: string[]; read: string[] }> {
  const calendars = new Map<string, CalendarData>();
  const problems: string[] = [];
  const read: string[] = []; // for the validate cache
  for (const [dir, label] of [[SHIPPED_CALENDARS, 'dingcast calendars/'], [join(resolve(projectDir), 'calendars'), 'calendars/']] as const) {
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
    for (const file of names) {
      const name = file.slice(0, -'.json'.length);
      read.push(join(dir, file));
      // A project's calendar follows the path rule of every project file: a symlink out of the project is refused.
      const shipped = dir === SHIPPED_CALENDARS;
      const where = shipped ? { ok: true as const, abs: join(dir, file) } : resolveInsideProject(projectDir, `calendars/${file}`);
      if (!where.ok) {
        problems.push(`${label}${file}: ${where.message}. ${where.hint}`);
        continue;
      }
      const text = readTextFile(where.abs);
      if (!text.ok) {
        problems.push(`${label}${file}: ${text.message}. ${text.hint}`);
        continue;
      }
      const parsed = parseCalendar(name, `${label}${file}`, text.text);
      if (parsed.calendar) calendars.set(name, parsed.calendar);
      problems.push(...parsed.problems);
    }
  }
  return { calendars, problems, read };
}
