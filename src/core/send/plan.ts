import { createHash } from 'node:crypto';
import { chunkRecipients } from '../chunk.js';
import { msgBytes } from '../msg/index.js';
import { sha256OfMsg } from '../preview.js';
import type { NotificationDef, Project, Recipients } from '../project.js';
import { renderNotification } from '../renderNotification.js';
import { dayIn } from './day.js';
import type { DeliveryRecord, LedgerView } from './ledgerView.js';
import type { Plan, PlannedNotification } from './types.js';

export interface PlanInput {
  project: Project;
  /** Notification ids to send (already resolved: `--all` means every enabled one). */
  ids: string[];
  now: Date;
  runId: string;
  ledger: LedgerView;
  force: boolean;
  /** Hash of the project files and the ledger, computed at the edge. */
  fingerprint: string;
  /** Per-notification schedule slot (send --due). */
  slots?: Record<string, string>;
}

export class PlanError extends Error {
  constructor(
    message: string,
    readonly notification: string,
  ) {
    super(message);
  }
}

/** DingTalk's documented per-user daily caps (seed page: internal 500, isv 50). */
export const DAILY_CAP = { internal: 500, isv: 50 } as const;
export const TO_ALL_PER_DAY = 3;

/**
 * Decide every call of a run. DingTalk drops identical content to the same user on the same day and still answers
 * "ok", so recipients the ledger shows as already served today are planned as skipped, not sent.
 */
export function planSend(input: PlanInput): Plan {
  const { project, now } = input;
  const day = dayIn(now, project.config.timezone);
  const today = input.ledger.deliveries.filter((d) => d.day === day);
  const served = new Map<string, DeliveryRecord>();
  for (const d of today) served.set(`${d.sha256}|${d.recipient}`, d);
  const warnings: string[] = [];
  const notifications: PlannedNotification[] = [];

  for (const id of input.ids) {
    const n = project.notifications.find((x) => x.id === id);
    if (!n) throw new PlanError(`no notification named \`${id}\``, id);
    const slot = input.slots?.[n.id];
    const r = renderNotification(project, n, { now, runId: input.runId, ...(slot !== undefined ? { slot } : {}) });
    if (!r.ok) throw new PlanError(`notification \`${id}\` does not render: ${r.errors.map((e) => e.message).join('; ')}`, id);
    const sha256 = sha256OfMsg(r.msg);
    const skipped: { userid: string; reason: string }[] = [];
    const resentUnknown: string[] = [];
    const keep = (key: string): boolean => {
      const prior = served.get(`${sha256}|${key}`);
      if (!prior || input.force) return true;
      // An unknown earlier attempt is sent again: DingTalk's own once-a-day rule stops a duplicate from arriving.
      if (prior.state === 'unknown') {
        resentUnknown.push(key.replace(/^user:/, ''));
        return true;
      }
      skipped.push({ userid: key.replace(/^user:/, ''), reason: `already sent this content today (${day}) in run ${prior.run}${prior.task_id !== undefined ? `, task ${prior.task_id}` : ''}` });
      return false;
    };
    const to: Recipients = {
      users: dedupe(n.to.users).filter((u) => keep(`user:${u}`)),
      departments: dedupeIds(n.to.departments).filter((d) => keep(`dept:${d}`)),
      all: n.to.all && keep('all'),
    };
    const calls = (to.all || to.users.length > 0 || to.departments.length > 0 ? chunkRecipients(to, project.config.limits) : []).map((c, index) => ({
      key: callKey(n.id, sha256, day, c),
      index,
      recipients: c,
    }));
    warnings.push(...capWarnings(n, to, today, project.config.appKind, day));
    const planned: PlannedNotification = { id: n.id, template: `${r.template.id}@${r.template.version}`, msg: r.msg, sha256, bytes: msgBytes(r.msg), recipients: to, calls, skipped };
    if (resentUnknown.length > 0) planned.resent_unknown = resentUnknown;
    if (slot !== undefined) planned.slot = slot;
    notifications.push(planned);
  }

  const send = notifications.reduce((s, n) => s + n.calls.length, 0);
  // Calls to users only are followed with one getsendresult; department and all-user calls need getsendprogress first.
  const followUp = notifications.reduce((s, n) => s + n.calls.reduce((c, call) => c + (call.recipients.userids && !call.recipients.deptIds ? 1 : 2), 0), 0);
  return {
    format: 'dingcast.plan/v1',
    created_at: now.toISOString(),
    run_id: input.runId,
    day,
    timezone: project.config.timezone,
    agent_id: project.config.agentId,
    app_kind: project.config.appKind,
    force: input.force,
    fingerprint: input.fingerprint,
    notifications,
    warnings,
    api_calls: { send, follow_up: followUp, total: send + followUp },
  };
}

function capWarnings(n: NotificationDef, to: Recipients, today: DeliveryRecord[], kind: 'internal' | 'isv', day: string): string[] {
  const out: string[] = [];
  if (to.all) {
    const runs = new Set(today.filter((d) => d.recipient === 'all').map((d) => d.run)).size;
    out.push(`${n.id}: to_all_user is allowed ${TO_ALL_PER_DAY} times a day per app; ${runs} already sent on ${day} (DingTalk answers 41045 past that)`);
  }
  const cap = DAILY_CAP[kind];
  const perUser = new Map<string, number>();
  for (const d of today) if (d.recipient.startsWith('user:')) perUser.set(d.recipient, (perUser.get(d.recipient) ?? 0) + 1);
  const over = to.users.filter((u) => (perUser.get(`user:${u}`) ?? 0) >= cap);
  if (over.length > 0) out.push(`${n.id}: ${over.length} user(s) already got ${cap} messages today, DingTalk's per-user daily cap for ${kind} apps; they will be dropped (143105): ${over.slice(0, 5).join(', ')}`);
  return out;
}

export function callKey(notification: string, sha256: string, day: string, c: object): string {
  return createHash('sha256').update(`${notification}|${sha256}|${day}|${JSON.stringify(c)}`).digest('hex').slice(0, 32);
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function dedupeIds(list: (string | number)[]): (string | number)[] {
  const seen = new Set<string>();
  return list.filter((d) => (seen.has(String(d)) ? false : (seen.add(String(d)), true)));
}
