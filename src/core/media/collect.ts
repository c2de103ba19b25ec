import type { Project } from '../project.js';
import { renderNotification, renderTemplate } from '../renderNotification.js';
import { localMediaOf } from './refs.js';

/**
 * The local files the project's messages name, as written after rendering (a path may come from a variable).
 * The edge reads exactly these before validation, so the core can check them without touching the disk.
 */
export function collectMediaRefs(project: Project, now: Date): Set<string> {
  const refs = new Set<string>();
  const add = (msg: Record<string, unknown>): void => {
    const local = localMediaOf(msg);
    if (local) refs.add(local.ref);
  };
  for (const n of project.notifications) {
    const r = renderNotification(project, n, { now });
    if (r.ok) add(r.msg);
  }
  for (const t of project.templates.values()) {
    for (const vars of Object.values(t.examples)) {
      const r = renderTemplate(t, vars, { now, timezone: project.config.timezone, notification: '(example)' });
      if (r.ok) add(r.msg);
    }
  }
  return refs;
}
