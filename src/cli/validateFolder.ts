import type { ValidationResult } from '../core/diagnostics.js';
import type { Project } from '../core/project.js';
import { validateProject } from '../core/validate/validateProject.js';
import type { ValidationInputs } from '../io/validateCache.js';
import { checkRecipientIds } from '../core/recipients/check.js';
import { checkRemindReach } from '../core/validate/remind.js';
import { indexDirectory } from '../core/recipients/directory.js';
import type { ProjectSide } from '../io/readProject.js';
import { inputsOf, readProjectFolder } from './loadFromDisk.js';

/**
 * What `dingcast validate` checks, without printing: the project folder read, loaded and validated as of `now`, and
 * every file and folder that went into the answer (the validate cache is only as right as this list).
 */
export async function validateFolder(dir: string, now: Date): Promise<{ project: Project; result: ValidationResult; inputs: ValidationInputs }> {
  const side = await readProjectFolder(dir, now);
  return { project: side.project, ...validateSide(side, now) };
}

/** validate's checks of a folder already read (send --dry-run reads it its own way), and what went into the answer. */
export function validateSide(side: ProjectSide & { project: Project }, now: Date): { result: ValidationResult; inputs: ValidationInputs } {
  const { project, calendars, calendarProblems, directory } = side;
  const inputs = inputsOf(side);
  const result = validateProject(project, { now }, calendars);
  // A broken calendar file would make `send --due` refuse; validate says so first.
  result.errors.push(...calendarProblems.map((message) => ({ severity: 'error' as const, code: 'calendar/invalid-file', file: message.split(':')[0] ?? 'calendars/', line: 0, column: 0, message: message.slice(message.indexOf(':') + 1).trim() })));
  // With a pulled directory every userid and department id is checked offline (design.md §8).
  const org = directory ? indexDirectory(directory) : undefined;
  if (org) result.errors.push(...checkRecipientIds(project, org));
  // A reminder to departments needs their sizes: getsendresult answers for ≤ 100 recipients.
  for (const d of checkRemindReach(project, org)) (d.severity === 'warning' ? result.warnings : result.errors).push(d);
  return { result, inputs };
}
