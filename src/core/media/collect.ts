import type { Project } from '../project.js';
import { renderNotification, renderTemplate, rowVars } from '../renderNotification.js';
import type { TemplateDef } from '../project.js';
import { localMediaOf, MEDIA_TYPES } from './refs.js';

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
    const t = project.templates.get(n.templateId);
    if (t && !mayCarryMedia(t)) continue;
    // An `each:` message may name a file per row (`./slips/{{userid}}.png`): every row's file is read.
    if (n.each) {
      for (const row of n.each.rows) {
        const r = renderNotification(project, n, { now }, rowVars(n, row));
        if (r.ok) add(r.msg);
      }
      continue;
    }
    const r = renderNotification(project, n, { now });
    if (r.ok) add(r.msg);
  }
  for (const t of project.templates.values()) {
    if (!mayCarryMedia(t)) continue;
    for (const vars of Object.values(t.examples)) {
      const r = renderTemplate(t, vars, { now, timezone: project.config.timezone, notification: '(example)' });
      if (r.ok) add(r.msg);
    }
  }
  return refs;
}

/** Only image, voice and file messages name a media file; rendering the others to look is most of a large project's read. */
function mayCarryMedia(t: TemplateDef): boolean {
  const type = (t.msg as { msgtype?: unknown }).msgtype;
  return typeof type !== 'string' || (MEDIA_TYPES as readonly string[]).includes(type);
}
