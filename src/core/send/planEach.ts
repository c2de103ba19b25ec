import { hash } from 'node:crypto';
import { chunkRecipients } from '../chunk.js';
import { mediaKey, msgIdentity, planMedia } from '../media/index.js';
import type { PlannedMedia } from '../media/plan.js';
import { msgBytes } from '../msg/index.js';
import { sha256OfMsg } from '../msg/index.js';
import type { NotificationDef, Project, TemplateDef } from '../project.js';
import type { EachRow, EachSource } from '../recipients/each.js';
import { rowLabel } from '../recipients/each.js';
import { maskedRowMsg } from '../recipients/sample.js';
import { maskText, sensitiveFields, sensitiveValues } from '../recipients/sensitive.js';
import { renderNotification, rowVars } from '../renderNotification.js';
import { callKey } from './callKey.js';
import { changedSince } from './changedSince.js';
import { decideRecipient, type DeliveryIndex } from './decide.js';
import { rowIdentity } from './identity.js';
import { PlanError } from './planError.js';
import type { RenderedAt } from './records.js';
import type { PlannedCall, PlannedEachChange, PlannedNotification } from './types.js';

/** Rows changed since an earlier run: the people named (the count says how many there are). */
const CHANGED_USERS_SHOWN = 10;

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
  /** In place of the slot/day: a reminder's `remind:RUN` (core/send/remind.ts). */
  occurrence?: string;
  /** media_ids uploaded earlier to this target, by `type:sha256` (plan.ts). */
  mediaIds?: ReadonlyMap<string, string>;
}

/** Rows that go out together: same identity and same bytes (pay slips rarely share one; scores often do). */
interface Group {
  msg: string;
  identity: string;
  /** What the ledger records and the send's content rule compares: sha256 of the msg, with a local file's sha256 in place of its path. */
  sha256: string;
  users: string[];
  rendered?: RenderedAt;
  /** The local file this message names; the run uploads it once per distinct content (io/media/uploadPlanMedia.ts). */
  media?: PlannedMedia;
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
  const occurrence = input.occurrence ?? input.slot ?? day;
  const renderedNow: RenderedAt = { at: now.toISOString(), run: input.runId };
  const fresh = new Map<string, Group>();
  const repeats = new Map<string, Group>();
  const skipped: { userid: string; reason: string }[] = [];
  const resentUnknown: string[] = [];
  let resentFailed = 0;
  let maxBytes = 0;
  let sample: Record<string, unknown> | undefined;
  const changed = new Map<string, PlannedEachChange>();

  for (const row of each.rows) {
    const render = (at: RenderedAt) => renderRow(input, template, row, sensitive, at);
    const mine = render(renderedNow);
    maxBytes = Math.max(maxBytes, mine.bytes);
    const identity = rowIdentity(n, template, each.key, row, mine.media ? mediaKey(mine.media.type, mine.media.sha256) : undefined);
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
      // A repeat's bytes already carry the media_id they were sent with: nothing to upload for them.
      // A re-rendered one names its file again (the same content: its hash matched).
      const media = 'media' in again ? again.media : undefined;
      // Keyed by identity too: two rows of different fields can render the same bytes, and each records its own.
      const rkey = `${identity}|${again.json}`;
      const group = repeats.get(rkey) ?? { msg: again.json, identity, sha256: again.sha256, users: [], ...(d.kind === 'rerender' ? { rendered: d.rendered } : {}), ...(media ? { media } : {}) };
      repeats.set(rkey, group);
      group.users.push(row.userid);
      resentUnknown.push(row.userid);
      continue;
    }
    if (d.kind === 'again') resentFailed++;
    // This person's earlier version of the row, sent under another definition: "changed since run R".
    const earlier = changedSince([index.byNotification.get(n.id)?.get(`user:${row.userid}`) ?? []], identity, occurrence);
    if (earlier) {
      const entry = changed.get(earlier.run) ?? { ...earlier, rows: 0, users: [] };
      changed.set(earlier.run, entry);
      entry.rows++;
      if (entry.users.length < CHANGED_USERS_SHOWN) entry.users.push(row.userid);
    }
    const key = `${identity}|${mine.sha256}`;
    const group = fresh.get(key) ?? { msg: mine.json, identity, sha256: mine.sha256, users: [], rendered: renderedNow, ...(mine.media ? { media: mine.media } : {}) };
    fresh.set(key, group);
    group.users.push(row.userid);
  }

  const calls: PlannedCall[] = [];
  // Lost answers first, as for every notification (plan.ts).
  for (const g of [...repeats.values(), ...fresh.values()]) {
    for (const c of chunkRecipients({ users: g.users, departments: [], all: false }, project.config.limits)) {
      const call: PlannedCall = { key: callKey(n.id, g.sha256, day, c), index: calls.length, recipients: c, msg: g.msg, identity: g.identity };
      if (g.media) call.media = g.media;
      // The ledger records the content hash (a local file by its sha256), not the hash of the msg naming its path.
      if (g.sha256 !== hash('sha256', g.msg, 'hex')) call.sha256 = g.sha256;
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
  if (changed.size > 0) {
    const latestFirst = [...changed.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    if (planned.each) planned.each.changed = latestFirst;
    planned.changed_since = { run: latestFirst[0]!.run, at: latestFirst[0]!.at };
  }
  if (resentUnknown.length > 0) planned.resent_unknown = resentUnknown;
  if (resentFailed > 0) planned.resent_failed = resentFailed;
  if (input.slot !== undefined) planned.slot = input.slot;
  return planned;
}

function renderRow(input: EachInput, template: TemplateDef, row: EachRow, sensitive: string[], at: RenderedAt): { msg: Record<string, unknown>; json: string; sha256: string; bytes: number; media?: PlannedMedia } {
  const { project, n, each } = input;
  const vars = rowVars(n, row);
  const r = renderNotification(project, n, { now: new Date(at.at), runId: at.run, ...(input.slot !== undefined ? { slot: input.slot } : {}) }, vars);
  if (!r.ok) {
    const hidden = sensitiveValues(vars, sensitive);
    throw new PlanError(maskText(`notification \`${n.id}\`: ${rowLabel(each.file, row)} ${row.line > 0 ? `${each.file}:${row.line} ` : ''}for \`${row.userid}\` does not render: ${r.errors.map((e) => e.message).join('; ')}`, hidden), n.id);
  }
  const json = JSON.stringify(r.msg);
  // A local file (one banner for all, or `./slips/{{userid}}.png` per row) counts by its content, as in plan.ts.
  const media = planMedia(r.msg, project.media, input.mediaIds ?? new Map());
  if (!media) return { msg: r.msg, json, sha256: hash('sha256', json, 'hex'), bytes: msgBytes(r.msg) };
  return { msg: r.msg, json, sha256: sha256OfMsg(msgIdentity(r.msg, media.sha256)), bytes: msgBytes(r.msg), media };
}

function sampleOf(input: EachInput, template: TemplateDef, row: EachRow, sensitive: string[], real: Record<string, unknown> | undefined): Record<string, unknown> {
  if (sensitive.length === 0 && real) return real;
  return maskedRowMsg(input.project, input.n, row, sensitive, { now: input.now, runId: input.runId, ...(input.slot !== undefined ? { slot: input.slot } : {}) }) ?? real ?? { msgtype: 'text', text: { content: '(masked)' } };
}
