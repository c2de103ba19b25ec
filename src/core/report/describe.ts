import type { BrokenDiagnostic, CallError, CallReport, NotificationReport, RecipientStatus, Report } from '../send/types.js';
import { effectiveStatuses } from './totals.js';
import { BAD_STATUSES } from './verdict.js';

/** Order in which statuses are shown: problems first, so a reader sees them without scrolling. */
export const STATUS_ORDER: readonly RecipientStatus[] = ['failed', 'forbidden', 'invalid', 'unknown', 'skipped', 'unread', 'read'];

export { BAD_STATUSES };

/** forbidden_list codes (dingtalk-api.md §4); the ISV variants mean the same. */
const FORBIDDEN_CODES: Record<string, string> = {
  '143106': 'same content already sent today',
  '143206': 'same content already sent today',
  '143105': 'per-user daily cap reached',
  '143205': 'per-user daily cap reached',
  '143103': 'per-app recipients-per-minute cap reached',
  '143203': 'per-app recipients-per-minute cap reached',
  '143104': 'per-enterprise recipients-per-minute cap reached',
  '143204': 'per-enterprise recipients-per-minute cap reached',
};

/** `143106` → `143106: same content already sent today`; unknown codes and free text pass through. */
export function describeForbidden(reason: string): string {
  const known = FORBIDDEN_CODES[reason.trim()];
  return known ? `${reason.trim()}: ${known}` : reason;
}

/** Reasons per userid: the notification's map first, then any forbidden_list entry from the calls' results. */
function forbiddenReasons(n: NotificationReport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of n.calls) for (const f of c.result?.forbidden_list ?? []) out[f.userid] = f.code;
  return { ...out, ...n.forbidden_reasons };
}

/** A notification with what the printers look up per call, built once per notification: a 100,000-recipient
 * report stays linear, and the printer that builds it holds it (src/core keeps no memo of its own). */
export interface ReportedNotification {
  n: NotificationReport;
  statuses: ReadonlyMap<string, RecipientStatus>;
  reasons: Record<string, string>;
  /**
   * False for a `send --no-wait` run nobody has refreshed yet: its recipients are `unknown` only because nobody asked
   * DingTalk. They are "not followed up", not a failure (issue 16 item 5).
   */
  followedUp: boolean;
}

function reportedNotification(n: NotificationReport, followedUp: boolean): ReportedNotification {
  return { n, statuses: effectiveStatuses(n), reasons: forbiddenReasons(n), followedUp };
}

/**
 * The report's notifications as the printers read them, in report.notifications' order. One write builds it once
 * (io/reports/write.ts, cli/send.ts) and hands it to every printer: building the status map of a 100,000-recipient
 * notification is the costly part of a printer, and each used to build its own (issue 9).
 */
export function reportedNotifications(report: Pick<Report, 'notifications' | 'followed_up'>): readonly ReportedNotification[] {
  const followedUp = report.followed_up !== false;
  return report.notifications.map((n) => reportedNotification(n, followedUp));
}

/** How a status reads to people: `unknown` of a run not followed up is "not followed up". */
export function statusLabel(status: string, followedUp: boolean): string {
  return status === 'unknown' && !followedUp ? 'not followed up' : status;
}

/** `notifications.yaml:14:5 schema/unknown-key unknown key …`: where and what, as `dingcast validate` prints it. */
export function describeDiagnostic(d: BrokenDiagnostic): string {
  return `${d.file}${d.line > 0 ? `:${d.line}:${d.column}` : ''} ${d.code} ${d.message}`;
}

export function describeError(e: CallError): string {
  const code = e.errcode === undefined ? e.kind : `errcode ${e.errcode}`;
  return `${code}: ${e.errmsg} (${plural(e.attempts, 'attempt')})`;
}

/** `20 users, 2 departments` / `all users`. */
export function describeCallRecipients(c: CallReport): string {
  const r = c.recipients;
  if (r.toAll) return 'all users';
  const parts: string[] = [];
  if (r.userids?.length) parts.push(plural(r.userids.length, 'user'));
  if (r.deptIds?.length) parts.push(plural(r.deptIds.length, 'department'));
  return parts.length ? parts.join(', ') : 'no recipients';
}

/** Users of this call whose final status is a problem, from its own result lists and the notification's map. */
export function badRecipientsOfCall({ statuses, followedUp }: ReportedNotification, c: CallReport): Map<string, RecipientStatus> {
  const bad = new Map<string, RecipientStatus>();
  const res = c.result;
  if (res) {
    for (const u of res.failed_user_id_list) bad.set(u, 'failed');
    for (const u of res.forbidden_user_id_list) bad.set(u, 'forbidden');
    for (const u of res.invalid_user_id_list) bad.set(u, 'invalid');
  }
  for (const u of c.recipients.userids ?? []) {
    const s = statuses.get(u);
    if (s && BAD_STATUSES.has(s) && !bad.has(u) && (followedUp || s !== 'unknown')) bad.set(u, s);
  }
  return bad;
}

/** Userids grouped by status, in STATUS_ORDER, each list sorted; empty groups left out. */
export function groupByStatus({ statuses }: ReportedNotification): [RecipientStatus, string[]][] {
  const groups = new Map<RecipientStatus, string[]>();
  for (const [u, s] of statuses) {
    const list = groups.get(s) ?? [];
    list.push(u);
    groups.set(s, list);
  }
  return STATUS_ORDER.filter((s) => groups.has(s)).map((s) => [s, (groups.get(s) ?? []).sort()]);
}

/** Whether the call counts as failed in junit and the summary: refused, unknown, or a recipient problem. */
export function isCallBad(r: ReportedNotification, c: CallReport): boolean {
  if (c.state === 'failed' || c.state === 'unknown' || c.error !== undefined) return true;
  return (c.result?.invalid_dept_id_list.length ?? 0) > 0 || badRecipientsOfCall(r, c).size > 0;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
