import type { RenderedAt } from './records.js';
import { DAILY_CAP_CODES, RETRY_LATER_CODES, SAME_CONTENT_CODES, type IntentEntry, type LedgerRecord, type OutcomeEntry } from './records.js';

/**
 * What one attempt did for one recipient, as far as the ledger knows:
 * - `sent`: DingTalk accepted the call and nothing said otherwise (no result asked, or the user was not in it);
 * - `delivered`: getsendresult listed them read or unread, or as "same content today" (143106: they have it);
 * - `unknown`: the run stopped between the intent and DingTalk's answer;
 * - `retry`: failed, or stopped by a per-minute cap (143103/143104, ISV 1432xx): DingTalk says send again;
 * - `capped`: the per-user daily cap (143105): again tomorrow, not today;
 * - `invalid`: not a user DingTalk knows: reported, never retried.
 */
export type DeliveryState = 'sent' | 'delivered' | 'unknown' | 'retry' | 'capped' | 'invalid';

export interface DeliveryRecord {
  run: string;
  /** When the intent was written (ISO). */
  at: string;
  key: string;
  notification: string;
  sha256: string;
  day: string;
  /** `user:<id>`, `dept:<id>` or `all`. */
  recipient: string;
  identity?: string;
  occurrence?: string;
  state: DeliveryState;
  task_id?: number;
  /** The forbidden_list code or `failed`, for `retry` and `capped`. */
  code?: string;
  /** The exact msg JSON of the attempt, kept for `unknown` ones so the retry sends the same bytes. */
  msg?: string;
  /** For an `unknown` attempt of a sensitive message: how to render it again (its bytes were not kept). */
  rendered?: RenderedAt;
}

/**
 * What planning needs to know from the ledger, as plain data. The I/O edge reads the records; the plan never
 * reads files.
 */
export interface LedgerView {
  deliveries: DeliveryRecord[];
}

/** One record per recipient per attempt (a run's try of a call); a refused call delivered nothing. */
export function ledgerView(records: readonly LedgerRecord[]): LedgerView {
  const attempts = new Map<string, { intent: IntentEntry & { ts: string }; answer?: { task_id?: number; refused: boolean }; outcome?: OutcomeEntry }>();
  for (const r of records) {
    const id = `${r.run}|${'key' in r ? r.key : ''}`;
    if (r.type === 'intent') {
      if (!attempts.has(id)) attempts.set(id, { intent: r });
    } else if (r.type === 'sent' || r.type === 'refused') {
      const a = attempts.get(id);
      if (a) a.answer = r.type === 'sent' ? { task_id: r.task_id, refused: false } : { refused: true };
    } else if (r.type === 'outcome') {
      const a = attempts.get(id);
      if (a) a.outcome = r;
    }
  }
  const deliveries: DeliveryRecord[] = [];
  for (const { intent, answer, outcome } of attempts.values()) {
    if (answer?.refused) continue;
    const perUser = outcome ? outcomeStates(outcome) : undefined;
    for (const recipient of intent.recipients) {
      const d: DeliveryRecord = { run: intent.run, at: intent.ts, key: intent.key, notification: intent.notification, sha256: intent.sha256, day: intent.day, recipient, state: answer ? 'sent' : 'unknown' };
      if (intent.identity !== undefined) d.identity = intent.identity;
      if (intent.occurrence !== undefined) d.occurrence = intent.occurrence;
      if (answer?.task_id !== undefined) d.task_id = answer.task_id;
      if (!answer && intent.msg !== undefined) d.msg = intent.msg;
      if (!answer && intent.rendered !== undefined) d.rendered = intent.rendered;
      const o = perUser?.get(recipient);
      if (o) {
        d.state = o.state;
        if (o.code !== undefined) d.code = o.code;
      }
      deliveries.push(d);
    }
  }
  return { deliveries };
}

function outcomeStates(o: OutcomeEntry): Map<string, { state: DeliveryState; code?: string }> {
  const out = new Map<string, { state: DeliveryState; code?: string }>();
  for (const u of o.delivered) out.set(`user:${u}`, { state: 'delivered' });
  for (const u of o.invalid) out.set(`user:${u}`, { state: 'invalid' });
  for (const u of o.failed) out.set(`user:${u}`, { state: 'retry', code: 'failed' });
  for (const f of o.forbidden) {
    const key = `user:${f.userid}`;
    if (SAME_CONTENT_CODES.has(f.code)) out.set(key, { state: 'delivered', code: f.code });
    else if (RETRY_LATER_CODES.has(f.code)) out.set(key, { state: 'retry', code: f.code });
    else if (DAILY_CAP_CODES.has(f.code)) out.set(key, { state: 'capped', code: f.code });
    // Other flow-control codes are reported; without a documented "send again", we do not.
    else out.set(key, { state: 'sent', code: f.code });
  }
  return out;
}

export function recipientKeys(call: { userids?: string[]; deptIds?: (string | number)[]; toAll?: true }): string[] {
  if (call.toAll) return ['all'];
  return [...(call.userids ?? []).map((u) => `user:${u}`), ...(call.deptIds ?? []).map((d) => `dept:${d}`)];
}
