import { hash } from 'node:crypto';
import { chunkRecipients } from '../chunk.js';
import { localMediaOf } from '../media/index.js';
import { msgBytes } from '../msg/index.js';
import { sha256OfMsg } from '../msg/index.js';
import type { NotificationDef, Project, TemplateDef } from '../project.js';
import type { EachRow, EachSource } from '../recipients/each.js';
import { rowLabel } from '../recipients/each.js';
import { maskedRowMsg } from '../recipients/sample.js';
import { maskText, sensitiveFields, sensitiveValues } from '../recipients/sensitive.js';
import { renderNotification, rowVars } from '../renderNotification.js';
import { callKey } from './callKey.js';
import { decideRecipient, type DeliveryIndex } from './decide.js';
import { rowIdentity } from './identity.js';
import { PlanError } from './planError.js';
import type { RenderedAt } from './records.js';
import type { PlannedCall, PlannedNotification } from './types.js';

export interface EachInput {
  project: Project;
  n: NotificationDef;
  each: EachSource;
  index: DeliveryIndex;
  day: string;
  now: Date;
  runId: string;
  force: boolean;
  slot?: string;
}

/** Rows that go out together: same identity and same bytes (pay slips rarely share one; scores often do). */
interface Group {
  msg: string;
  identity: string;
  users: string[];
  rendered?: RenderedAt;
}

/**
 * Plans an `each:` notification: every row rendered with its own fields, decided on its own identity
 * (design.md §6 per row: a re-run sends only to rows not yet delivered), and grouped into calls by identical
 * content. With sensitive variables the calls say so: the ledger then records how the msg was rendered instead
 * of the msg, and a lost answer is resent by rendering the row again and checking its hash (design.md §8).
 */
export function planEach(input: EachInput): PlannedNotification {
  const { project, n, each, index, day, now } = input;
  const template = project.templates.get(n.templateId);
  if (!template) throw new PlanError(`template \`${n.templateId}\` not found`, n.id);
  const sensitive = sensitiveFields(template.variables);
  const occurrence = input.slot ?? day;
  const renderedNow: RenderedAt = { at: now.toISOString(), run: input.runId };
  const fresh = new Map<string, Group>();
  const repeats = new Map<string, Group>();
  const skipped: { userid: string; reason: string }[] = [];
  const resentUnknown: string[] = [];
  let resentFailed = 0;
  let maxBytes = 0;
  let sample: Record<string, unknown> | undefined;

  for (const row of each.rows) {
    const render = (at: RenderedAt) => renderRow(input, template, row, sensitive, at);
    const mine = render(renderedNow);
    maxBytes = Math.max(maxBytes, mine.bytes);
    const identity = rowIdentity(n, template, each.key, row);
    const here = { notification: n.id, identity, occurrence, sha256: mine.sha256, day, force: input.force, timezone: project.config.timezone };
    const d = decideRecipient(index, here, `user:${row.userid}`);
    if (d.kind === 'skip') {
      skipped.push({ userid: row.userid, reason: d.reason });
      continue;
    }
    sample ??= sampleOf(input, template, row, sensitive, mine.msg);
    if (d.kind === 'repeat' || d.kind === 'rerender') {
      // The lost attempt's bytes: kept in the ledger, or rebuilt from how they were rendered and checked by hash.
      const again = d.kind === 'repeat' ? { json: d.msg, sha256: d.sha256 } : render(d.rendered);
      if (d.kind === 'rerender' && again.sha256 !== d.sha256) {
        skipped.push({ userid: row.userid, reason: `the answer to run ${d.run}'s attempt was lost, and its message (with sensitive values, not stored) cannot be rebuilt byte for byte; not resent, so it cannot arrive twice (\`--force\` sends the current one)` });
        continue;
      }
      const group = repeats.get(again.json) ?? { msg: again.json, identity, users: [], ...(d.kind === 'rerender' ? { rendered: d.rendered } : {}) };
      repeats.set(again.json, group);
      group.users.push(row.userid);
      resentUnknown.push(row.userid);
      continue;
    }
    if (d.kind === 'again') resentFailed++;
    const key = `${identity}|${mine.sha256}`;
    const group = fresh.get(key) ?? { msg: mine.json, identity, users: [], rendered: renderedNow };
    fresh.set(key, group);
    group.users.push(row.userid);
  }

  const calls: PlannedCall[] = [];
  // Lost answers first, as for every notification (plan.ts).
  for (const g of [...repeats.values(), ...fresh.values()]) {
    const sha = hash('sha256', g.msg, 'hex');
    for (const c of chunkRecipients({ users: g.users, departments: [], all: false }, project.config.limits)) {
      const call: PlannedCall = { key: callKey(n.id, sha, day, c), index: calls.length, recipients: c, msg: g.msg, identity: g.identity };
      if (sensitive.length > 0) {
        call.sensitive = true;
        if (g.rendered) call.rendered = g.rendered;
      }
      calls.push(call);
    }
  }
  const shown = sample ?? sampleOf(input, template, each.rows[0]!, sensitive, undefined);
  const planned: PlannedNotification = {
    id: n.id,
    template: `${template.id}@${template.version}`,
    msg: shown,
    sha256: sha256OfMsg(shown),
    bytes: msgBytes(shown),
    // The notification's own identity covers every row; each call carries its rows' identity.
    identity: hash('sha256', JSON.stringify(calls.map((c) => c.identity)), 'hex'),
    occurrence,
    recipients: { users: [...repeats.values(), ...fresh.values()].flatMap((g) => g.users), departments: [], all: false },
    calls,
    skipped,
    each: { file: each.file, rows: each.rows.length, messages: repeats.size + fresh.size, max_bytes: maxBytes, sensitive },
  };
  if (resentUnknown.length > 0) planned.resent_unknown = resentUnknown;
  if (resentFailed > 0) planned.resent_failed = resentFailed;
  if (input.slot !== undefined) planned.slot = input.slot;
  return planned;
}

function renderRow(input: EachInput, template: TemplateDef, row: EachRow, sensitive: string[], at: RenderedAt): { msg: Record<string, unknown>; json: string; sha256: string; bytes: number } {
  const { project, n, each } = input;
  const vars = rowVars(n, row);
  const r = renderNotification(project, n, { now: new Date(at.at), runId: at.run, ...(input.slot !== undefined ? { slot: input.slot } : {}) }, vars);
  if (!r.ok) {
    const hidden = sensitiveValues(vars, sensitive);
    throw new PlanError(maskText(`notification \`${n.id}\`: ${rowLabel(each.file, row)} ${row.line > 0 ? `${each.file}:${row.line} ` : ''}for \`${row.userid}\` does not render: ${r.errors.map((e) => e.message).join('; ')}`, hidden), n.id);
  }
  // A local media file per person is not supported: its upload and id are per notification (media/plan.ts).
  if (localMediaOf(r.msg)) throw new PlanError(`notification \`${n.id}\`: an \`each:\` message cannot name a local media file yet; upload it with \`dingcast media upload\` and write its media_id`, n.id);
  const json = JSON.stringify(r.msg);
  return { msg: r.msg, json, sha256: hash('sha256', json, 'hex'), bytes: msgBytes(r.msg) };
}

function sampleOf(input: EachInput, template: TemplateDef, row: EachRow, sensitive: string[], real: Record<string, unknown> | undefined): Record<string, unknown> {
  if (sensitive.length === 0 && real) return real;
  return maskedRowMsg(input.project, input.n, row, sensitive, { now: input.now, runId: input.runId, ...(input.slot !== undefined ? { slot: input.slot } : {}) }) ?? real ?? { msgtype: 'text', text: { content: '(masked)' } };
}
