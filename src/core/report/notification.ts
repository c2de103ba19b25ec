import { DAILY_CAP_CODES, RETRY_LATER_CODES, SAME_CONTENT_CODES } from '../send/records.js';
import type { CallReport, NotificationReport, PlannedNotification, RecipientStatus } from '../send/types.js';

type NotificationFacts = Pick<PlannedNotification, 'id' | 'template' | 'sha256' | 'bytes' | 'skipped' | 'slot' | 'resent_unknown' | 'reminder'> & { msg?: Record<string, unknown>; reminders?: NotificationReport['reminders'] };

/**
 * Every recipient's one status, from the calls' answers: users DingTalk has not reported on (yet) are unknown;
 * a department or to_all_user call, which getsendresult cannot answer (more than 100 recipients), counts as
 * delivered to the department once its progress says done.
 */
export function notificationReport(n: NotificationFacts, calls: CallReport[]): NotificationReport {
  const recipients: Record<string, RecipientStatus> = {};
  const reasons: Record<string, string> = {};
  const skipped = [...n.skipped];
  const skippedIds = new Set(skipped.map((s) => s.userid));
  const resent = new Set(n.resent_unknown ?? []);
  for (const s of n.skipped) recipients[s.userid] = 'skipped';
  for (const c of calls) {
    const initial: RecipientStatus = c.state === 'failed' ? 'failed' : 'unknown';
    const groupDone = c.state === 'sent' && c.progress?.status === 2;
    for (const d of c.recipients.deptIds ?? []) recipients[`dept:${d}`] = groupDone ? 'unread' : initial;
    if (c.recipients.toAll) recipients.all = groupDone ? 'unread' : initial;
    const r = c.result;
    if (!r) {
      for (const u of c.recipients.userids ?? []) recipients[u] = initial;
      continue;
    }
    // Each user is written once (a call holds at most 100): large objects are slow to write to.
    const answered = new Map<string, RecipientStatus>();
    const mark = (list: string[], status: RecipientStatus) => {
      for (const u of list) answered.set(u, status);
    };
    mark(r.unread_user_id_list, 'unread');
    mark(r.read_user_id_list, 'read');
    mark(r.failed_user_id_list, 'failed');
    mark(r.forbidden_user_id_list, 'forbidden');
    mark(r.invalid_user_id_list, 'invalid');
    for (const d of r.invalid_dept_id_list) recipients[`dept:${d}`] = 'invalid';
    for (const f of r.forbidden_list) {
      // 143106: DingTalk already has this content for them today, so it counts as delivered. For a resend after a
      // lost answer it proves the first attempt arrived.
      if (SAME_CONTENT_CODES.has(f.code)) {
        answered.set(f.userid, 'skipped');
        if (!skippedIds.has(f.userid)) {
          skippedIds.add(f.userid);
          skipped.push({ userid: f.userid, reason: resent.has(f.userid) ? `delivered by an earlier run that died before DingTalk answered; DingTalk dropped this resend as a same-day duplicate (${f.code})` : `DingTalk already delivered this content to them today (${f.code}); counts as delivered` });
        }
        continue;
      }
      // A user only in forbidden_list is still forbidden, with its code.
      answered.set(f.userid, 'forbidden');
      reasons[f.userid] = forbiddenReason(f.code, f.count);
    }
    for (const u of c.recipients.userids ?? []) if (!answered.has(u)) answered.set(u, initial);
    for (const [u, status] of answered) recipients[u] = status;
  }
  const report: NotificationReport = { id: n.id, template: n.template, sha256: n.sha256, bytes: n.bytes, calls, skipped, recipients, forbidden_reasons: reasons };
  if (n.slot !== undefined) report.slot = n.slot;
  if (n.msg !== undefined) report.msg = n.msg;
  if (n.reminder !== undefined) report.reminder = n.reminder;
  if (n.reminders !== undefined) report.reminders = n.reminders;
  return report;
}

export function forbiddenReason(code: string, count: number): string {
  if (SAME_CONTENT_CODES.has(code)) return `${code}: the same content was already sent to this user today`;
  if (DAILY_CAP_CODES.has(code)) return `${code}: the per-user daily cap (${count}) is reached; daily cap, sent again tomorrow`;
  if (RETRY_LATER_CODES.has(code)) return `${code}: too many recipients per minute; the next run sends again`;
  return `${code}: blocked by DingTalk's flow control (threshold ${count})`;
}
