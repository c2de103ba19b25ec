import { hash } from 'node:crypto';
import type { NotificationDef, TemplateDef } from '../project.js';

/**
 * The identity of a send is what the user declared, not the rendered bytes (design.md §6): a template that
 * prints `@now` renders new bytes every run, yet running the same command again must send nothing. So the hash
 * covers the notification, its template id@version and source text, its variables (`vars` with the content of
 * `vars_file` merged in) and its recipients, and nothing the clock changes.
 */
export function definitionIdentity(n: NotificationDef, template: TemplateDef, media?: string): string {
  // `media`: the local file's `type:sha256` (`media_id: ./assets/x.png`), so a changed file is a new send.
  const declared = { notification: n.id, template: `${template.id}@${template.version}`, source: template.source.text, vars: n.vars, to: n.to, ...(media !== undefined ? { media } : {}) };
  return hash('sha256', JSON.stringify(declared), 'hex');
}
