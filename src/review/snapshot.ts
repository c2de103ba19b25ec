import { stringify } from 'yaml';
import { chunkRecipients } from '../core/chunk.js';
import { msgBytes } from '../core/msg/index.js';
import type { NotificationDef, Project, TemplateDef, Vars } from '../core/project.js';
import { eachSample } from '../core/recipients/sample.js';
import { renderNotification, renderTemplate } from '../core/renderNotification.js';

/** One side of a diff: what a notification or a template example renders to, or why it does not. */
export type RenderSnapshot =
  | { ok: true; msg: Record<string, unknown>; bytes: number; text: string }
  | { ok: false; errors: string[]; text: string };

/** The same time and run id on both sides, so `@now`/`@today`/`@run_id` never show up as a change. */
export interface SnapshotClock {
  now: Date;
}

const RUN_ID = '(diff)';

/**
 * Messages are diffed as YAML, not JSON: a markdown `text` becomes a block of real lines, so a changed line
 * of the message is one changed line of the diff instead of one long escaped JSON string.
 */
export function msgAsText(msg: unknown): string {
  return stringify(msg, { lineWidth: 0 });
}

export function snapshotNotification(project: Project, n: NotificationDef, clock: SnapshotClock): RenderSnapshot {
  // One message per row: the first row, sensitive values masked, is what a diff compares (never the values).
  const sample = n.each ? eachSample(project, n, { now: clock.now, runId: RUN_ID }) : undefined;
  if (sample) return { ok: true, msg: sample, bytes: msgBytes(sample), text: msgAsText(sample) };
  const r = renderNotification(project, n, { now: clock.now, runId: RUN_ID });
  if (!r.ok) return failed(r.errors.map((e) => e.message));
  return { ok: true, msg: r.msg, bytes: msgBytes(r.msg), text: msgAsText(r.msg) };
}

export function snapshotExample(t: TemplateDef, vars: Vars, timezone: string, clock: SnapshotClock): RenderSnapshot {
  const r = renderTemplate(t, vars, { now: clock.now, timezone, notification: t.id, runId: RUN_ID });
  if (!r.ok) return failed(r.errors.map((e) => e.message));
  return { ok: true, msg: r.msg, bytes: msgBytes(r.msg), text: msgAsText(r.msg) };
}

function failed(errors: string[]): RenderSnapshot {
  return { ok: false, errors, text: `# does not render:\n${errors.map((e) => `# ${e}`).join('\n')}\n` };
}

export function callCount(project: Project, n: NotificationDef): number {
  return chunkRecipients(n.to, project.config.limits).length;
}
