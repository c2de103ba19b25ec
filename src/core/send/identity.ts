import { hash } from 'node:crypto';
import type { NotificationDef, TemplateDef } from '../project.js';
import type { EachRow } from '../recipients/each.js';

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

/**
 * The identity of one person's message of an `each:` notification: what the rest of the notification declared
 * and that row's own fields, without the key column (the recipient is part of a send's identity already). Editing
 * one row sends that row again, not everyone's; rows whose fields are equal share an identity, so identical
 * messages go in one call. Sensitive fields are in the hash, never in the clear. `media`: the row's local file as
 * `type:sha256`, so a changed file is a new send to the people whose message names it, and only to them.
 */
export function rowIdentity(n: NotificationDef, template: TemplateDef, key: string, row: EachRow, media?: string): string {
  const fields: Record<string, unknown> = {};
  for (const name of Object.keys(row.fields).sort()) if (name !== key) fields[name] = row.fields[name];
  const declared = { notification: n.id, template: `${template.id}@${template.version}`, source: template.source.text, vars: n.vars, each: key, row: fields, ...(media !== undefined ? { media } : {}) };
  return hash('sha256', JSON.stringify(declared), 'hex');
}
