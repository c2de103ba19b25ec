import type { Diagnostic, ValidationResult } from '../diagnostics.js';
import type { Project } from '../project.js';
import type { RenderOccasion } from '../renderNotification.js';
import { checkNotification } from './checkNotification.js';
import { checkTemplate } from './checkTemplate.js';
import { checkTemplateExamplesMedia } from './media.js';
import { renderTemplate } from '../renderNotification.js';
import { checkSecrets } from './secrets.js';
import { checkRawNotifications } from './checkRawNotifications.js';
import { isValidTimeZone } from '../zones.js';
import type { CalendarSet } from '../schedule/index.js';

/** `@slot` is only set when `send --due` fires a schedule; checks render with a slot of realistic length. */
export const SAMPLE_SLOT = '2026-01-05T09:00:00+08:00';

/** Every problem of the project at once, as data. The CLI decides how to print them and the exit code. */
export function validateProject(project: Project, occasion: RenderOccasion, calendars?: CalendarSet): ValidationResult {
  const all: Diagnostic[] = [...project.diagnostics];
  for (const source of project.sources) all.push(...checkSecrets(source));
  // A bad time zone is reported once, by the schedule check; rendering goes on in UTC so nothing else is hidden.
  const timezone = isValidTimeZone(project.config.timezone) ? project.config.timezone : 'UTC';
  const templatesWithErrors = new Set<string>();
  for (const t of project.templates.values()) {
    const ctx = { now: occasion.now, timezone, notification: '(example)', runId: occasion.runId ?? '(validate)', slot: SAMPLE_SLOT };
    const found = checkTemplate(t, ctx);
    if (found.some((d) => d.severity === 'error')) templatesWithErrors.add(t.id);
    all.push(...found);
    if (project.media && project.media.size > 0) all.push(...checkTemplateExamplesMedia(project, t, (vars) => { const r = renderTemplate(t, vars, ctx); return r.ok ? r.msg : undefined; }));
  }
  const source = project.notificationsSource;
  const unchecked = source ? undefined : project.sources.find((s) => s.file === 'notifications.yaml');
  if (unchecked) all.push(...checkRawNotifications(project, unchecked, project.diagnostics));
  if (source) for (const n of project.notifications) all.push(...checkNotification(project, n, source, n.schedule !== undefined ? { ...occasion, slot: SAMPLE_SLOT } : occasion, calendars, templatesWithErrors));
  const unique = dedupe(all).sort(byPosition);
  return { errors: unique.filter((d) => d.severity === 'error'), warnings: unique.filter((d) => d.severity === 'warning') };
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  // A secret under an unknown key is reported once, as a secret.
  const secretAt = new Set(list.filter((d) => d.code === 'secret/in-yaml').map((d) => `${d.file}:${d.line}:${d.column}`));
  return list.filter((d) => {
    if (d.code === 'schema/unknown-key' && secretAt.has(`${d.file}:${d.line}:${d.column}`)) return false;
    const key = `${d.file}:${d.line}:${d.column}:${d.code}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
}
