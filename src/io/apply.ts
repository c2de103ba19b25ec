import type { CallRecipients } from '../core/chunk.js';
import { recipientKeys } from '../core/send/ledgerView.js';
import type { CallError, CallReport, NotificationReport, Plan, PlannedNotification, RecipientStatus, SendResultLists } from '../core/send/types.js';
import { DingTalkError, TransportError } from '../errors.js';
import type { DingTalkClient } from './dingtalk/index.js';
import { StateError } from './state/types.js';
import type { LedgerWriter } from './ledger.js';

export interface ApplyOptions {
  client: DingTalkClient;
  ledger: LedgerWriter;
  /** Follow each task until DingTalk has finished it; false = `--no-wait` (report --refresh does it later). */
  wait: boolean;
  /** Give up following after this long; unfinished recipients are reported as unknown. */
  waitTimeoutMs: number;
  /** Progress for the terminal: calls sent, then tasks followed up to the end (src/cli/progress.ts draws it). */
  onProgress?: (event: { phase: 'sending' | 'following'; done: number; total: number }) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** Send every planned call (intent → send → task id, each recorded first), then follow the tasks up. */
export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<NotificationReport[]> {
  const total = plan.notifications.reduce((s, n) => s + n.calls.length, 0);
  let done = 0;
  const reports = await Promise.all(
    plan.notifications.map(async (n) => {
      const calls = await Promise.all(
        n.calls.map(async (call) => {
          const report = await sendCall(plan, n, call, opts);
          opts.onProgress?.({ phase: 'sending', done: ++done, total });
          return report;
        }),
      );
      return { n, calls };
    }),
  );
  if (opts.wait) await followUp(reports.flatMap((r) => r.calls), opts);
  return reports.map(({ n, calls }) => notificationReport(n, calls));
}

async function sendCall(plan: Plan, n: PlannedNotification, call: PlannedNotification['calls'][number], opts: ApplyOptions): Promise<CallReport> {
  const base: CallReport = { key: call.key, index: call.index, recipients: call.recipients, state: 'unknown', attempts: 0 };
  await opts.ledger.append({ type: 'intent', run: plan.run_id, key: call.key, notification: n.id, sha256: n.sha256, day: plan.day, recipients: recipientKeys(call.recipients) });
  try {
    const req: Parameters<DingTalkClient['sendMessage']>[0] = { msg: n.msg };
    if (call.recipients.userids) req.userids = call.recipients.userids;
    if (call.recipients.deptIds) req.deptIds = call.recipients.deptIds;
    if (call.recipients.toAll) req.toAll = true;
    const sent = await opts.client.sendMessage(req);
    await opts.ledger.append({ type: 'sent', run: plan.run_id, key: call.key, task_id: sent.taskId });
    return { ...base, state: 'sent', task_id: sent.taskId, attempts: sent.attempts };
  } catch (e) {
    // The state could not record the answer (lease lost, disk full): stop the run (exit 2), no further call.
    if (e instanceof StateError) throw e;
    const error = callError(e);
    // A refusal means nothing was delivered; a transport failure leaves the outcome unknown (the intent stays open).
    if (error.kind === 'dingtalk') await opts.ledger.append({ type: 'refused', run: plan.run_id, key: call.key, errmsg: error.errmsg, ...(error.errcode !== undefined ? { errcode: error.errcode } : {}) });
    return { ...base, state: error.kind === 'dingtalk' ? 'failed' : 'unknown', error, attempts: error.attempts };
  }
}

export function callError(e: unknown): CallError {
  const attempts = (e as { attempts?: number }).attempts ?? 1;
  if (e instanceof DingTalkError) return { kind: 'dingtalk', errcode: e.errcode, errmsg: e.errmsg, attempts };
  if (e instanceof TransportError) return { kind: 'transport', errmsg: e.message, attempts };
  return { kind: 'internal', errmsg: e instanceof Error ? e.message : String(e), attempts };
}

/**
 * Follow-up costs API calls (many organisations have 5000 a month), so: wait about as long as DingTalk takes, then
 * ask for the result once. A call to users only is finished when every user appears in a result list; only when
 * that is not yet so, or when departments are involved (their members are unknown to us), ask for progress.
 */
export async function followUp(calls: CallReport[], opts: ApplyOptions): Promise<void> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pending = calls.filter((c) => c.task_id !== undefined && c.state !== 'failed');
  if (pending.length === 0) return;
  const progress = (open: CallReport[]) => opts.onProgress?.({ phase: 'following', done: pending.length - open.length, total: pending.length });
  progress(pending);
  const deadline = Date.now() + opts.waitTimeoutMs;
  const largest = Math.max(...pending.map((c) => recipientKeys(c.recipients).length));
  await sleep(Math.min(opts.waitTimeoutMs, 1000 + 5 * largest));
  let delay = 500;
  let open = pending;
  while (open.length > 0) {
    const still: CallReport[] = [];
    await Promise.all(
      open.map(async (c) => {
        try {
          if (!usersOnly(c.recipients)) {
            c.progress = await opts.client.getSendProgress(c.task_id as number);
            if (c.progress.status !== 2) return void still.push(c);
          }
          c.result = await opts.client.getSendResult(c.task_id as number);
          if (usersOnly(c.recipients) && !allAccounted(c.recipients.userids ?? [], c.result)) {
            still.push(c);
            return;
          }
          c.progress = { percent: 100, status: 2 };
        } catch (e) {
          c.error = callError(e);
        }
      }),
    );
    open = still;
    progress(open);
    if (open.length === 0 || Date.now() + delay > deadline) break;
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}

function usersOnly(r: CallRecipients): boolean {
  return !r.toAll && !r.deptIds && (r.userids?.length ?? 0) > 0;
}

function allAccounted(users: string[], r: SendResultLists): boolean {
  const seen = new Set([...r.read_user_id_list, ...r.unread_user_id_list, ...r.failed_user_id_list, ...r.forbidden_user_id_list, ...r.invalid_user_id_list]);
  return users.every((u) => seen.has(u));
}

/** Map every recipient to one status; users DingTalk has not reported on (yet) are unknown. */
export function notificationReport(n: Pick<PlannedNotification, 'id' | 'template' | 'sha256' | 'bytes' | 'skipped' | 'slot' | 'resent_unknown'>, calls: CallReport[]): NotificationReport {
  const recipients: Record<string, RecipientStatus> = {};
  const reasons: Record<string, string> = {};
  const skipped = [...n.skipped];
  for (const s of n.skipped) recipients[s.userid] = 'skipped';
  for (const c of calls) {
    for (const u of c.recipients.userids ?? []) recipients[u] = c.state === 'failed' ? 'failed' : 'unknown';
    const r = c.result;
    if (!r) continue;
    const mark = (list: string[], status: RecipientStatus) => list.forEach((u) => (recipients[u] = status));
    mark(r.unread_user_id_list, 'unread');
    mark(r.read_user_id_list, 'read');
    mark(r.failed_user_id_list, 'failed');
    mark(r.forbidden_user_id_list, 'forbidden');
    mark(r.invalid_user_id_list, 'invalid');
    for (const d of r.invalid_dept_id_list) recipients[`dept:${d}`] = 'invalid';
    for (const f of r.forbidden_list) {
      // Resent after a run died mid-call: DingTalk dropping it as a same-day duplicate proves the first one arrived.
      if ((f.code === '143106' || f.code === '143206') && n.resent_unknown?.includes(f.userid)) {
        recipients[f.userid] = 'skipped';
        if (!skipped.some((s) => s.userid === f.userid)) skipped.push({ userid: f.userid, reason: 'delivered by an earlier run that died before DingTalk answered; DingTalk dropped this resend as a same-day duplicate (143106)' });
        continue;
      }
      reasons[f.userid] = forbiddenReason(f.code, f.count);
    }
  }
  const report: NotificationReport = { id: n.id, template: n.template, sha256: n.sha256, bytes: n.bytes, calls, skipped, recipients, forbidden_reasons: reasons };
  if (n.slot !== undefined) report.slot = n.slot;
  return report;
}

export function forbiddenReason(code: string, count: number): string {
  if (code === '143106' || code === '143206') return `${code}: the same content was already sent to this user today`;
  if (code === '143105' || code === '143205') return `${code}: the per-user daily cap (${count}) is reached`;
  if (code === '143103' || code === '143104' || code === '143203' || code === '143204') return `${code}: too many recipients per minute`;
  return `${code}: blocked by DingTalk's flow control (threshold ${count})`;
}
