import type { Diagnostic } from '../diagnostics.js';
import type { YamlSource } from '../load/yamlSource.js';
import type { Project } from '../project.js';
import { locate } from '../schemaErrors.js';
import { closestMatch } from '../suggest.js';
import { checkSchedule } from './schedule.js';

type Problem = Parameters<typeof locate>[1][number];

/**
 * notifications.yaml failed its schema, so no notification was built. The values that are still readable get their
 * own checks anyway (time zones, cron expressions, calendars, template names), so one run shows every problem.
 * Fields the schema already complained about are left to that message.
 */
export function checkRawNotifications(project: Project, source: YamlSource, already: Diagnostic[]): Diagnostic[] {
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) return [];
  const raw = source.value as { timezone?: unknown; notifications?: unknown };
  const projectTz = typeof raw.timezone === 'string' ? raw.timezone : project.config.timezone;
  const problems: Problem[] = [];
  const entries = raw.notifications !== null && typeof raw.notifications === 'object' ? Object.entries(raw.notifications) : [];
  for (const [id, n] of entries) {
    if (n === null || typeof n !== 'object') continue;
    const v = n as Record<string, unknown>;
    const str = (k: string) => (typeof v[k] === 'string' ? (v[k]) : undefined);
    for (const p of checkSchedule(str('schedule'), str('timezone') ?? projectTz, str('calendar'))) {
      const path = p.field === 'timezone' && str('timezone') === undefined ? ['timezone'] : ['notifications', id, p.field];
      problems.push({ path, code: p.code, message: p.message, hint: p.hint });
    }
    const ref = str('template');
    const templateId = ref?.replace(/@\d+$/, '');
    if (templateId !== undefined && !project.templates.has(templateId) && !project.brokenTemplates.has(templateId)) {
      const guess = closestMatch(templateId, project.templates.keys());
      problems.push({ path: ['notifications', id, 'template'], code: 'reference/unknown-template', message: `template \`${templateId}\` not found in templates/`, hint: guess ? `Did you mean \`${guess}\`?` : `Create templates/${templateId}.yaml or fix the name.` });
    }
  }
  const taken = new Set(already.filter((d) => d.file === source.file).map((d) => d.line));
  return locate(source, problems).filter((d) => !taken.has(d.line));
}
