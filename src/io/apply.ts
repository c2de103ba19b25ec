import { setMaxListeners } from 'node:events';
import { hash } from 'node:crypto';
import type { CallRecipients } from '../core/chunk.js';
import { isTemplateSend, templateSendBody } from '../core/msg/index.js';
import { buildReport } from '../core/report/index.js';
import { recipientKeys } from '../core/send/ledgerView.js';
import { QUOTA_EXHAUSTED } from '../core/send/quota.js';
import { callReach } from '../core/send/reach.js';
import { expandSplits, splitCall, TOO_MANY_RECIPIENTS } from '../core/send/split.js';
import type { LedgerEntry, OutcomeEntry } from '../core/send/records.js';
import type { CallError, CallReport, Plan, PlannedCall, PlannedNotification, Report } from '../core/send/types.js';
import { DingTalkError, TransportError } from '../errors.js';
import { DINGTALK_BASE_URL } from './dingtalk/baseUrl.js';
import type { DingTalkClient } from './dingtalk/index.js';
import { followTask, SettleTime } from './followUp.js';

/**
 * Where the ledger goes. `append` resolves once the record is durable; for an intent it may say which of the
 * call's recipients this runner claimed (a shared store lets another runner claim the rest), else all.
 */
export interface LedgerSink {
  append(entry: LedgerEntry): Promise<void | { claimed?: string[] }>;
}

export interface ApplyOptions {
  client: DingTalkClient;
  ledger: LedgerSink;
  /** Follow each task until DingTalk has finished it; false = `--no-wait` (report --refresh does it later). */
  wait: boolean;
  /** Give up following a task after this long; unfinished recipients are reported as unknown. */
  waitTimeoutMs: number;
  /** Where the run went, for the report. */
  run?: { endpoint: string; agentId: number | string | undefined; sandbox: boolean };
  /** Abort = stop making calls (SIGINT/SIGTERM): calls in flight finish, the report says what was sent. */
  signal?: AbortSignal;
  /** Progress for the terminal: calls sent, then tasks followed up to the end (src/cli/progress.ts draws it). */
  onProgress?: (event: { phase: 'sending' | 'following'; done: number; total: number }) => void;
  /** Sends in flight at once. The client paces them to DingTalk's rate; this only bounds intents written ahead. */
  concurrency?: number;
}

/** A plan's call with the notification it belongs to. */
interface Job {
  n: PlannedNotification;
  call: PlannedCall;
}

/**
 * Apply a plan: every ledger write of a run happens here, each before what it describes can be lost — the intent
 * (with the exact bytes) before the call, the answer after it, each recipient's outcome after getsendresult, and
 * the fired slot once all its calls were made. Each task is followed as soon as it is sent, overlapping the sends.
 * A ledger that cannot record stops the run: no call goes out unrecorded.
 */
export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<Report> {
  const started = new Date();
  const jobs: Job[] = plan.notifications.flatMap((n) => n.calls.map((call) => ({ n, call })));
  const reports = new Map<string, CallReport>();
  /** Calls DingTalk refused as too large, by key → the smaller calls their recipients went in instead. */
  const splits = new Map<string, PlannedCall[]>();
  const claimedElsewhere = new Map<string, { userid: string; reason: string }[]>();
  const halt = new AbortController();
  // Every task being followed waits on it at once (a thousand recipients: ten or more), which is by design, not a leak.
  setMaxListeners(0, halt.signal);
  let stopped: string | undefined;
  const stop = (why: string) => {
    stopped ??= why;
    halt.abort();
  };
  const onAbort = () => stop(`interrupted (${String(opts.signal?.reason ?? 'abort')}); calls in flight were finished, no new ones made`);
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let apiCalls = 0;
  let done = 0;
  let total = jobs.length;
  let followed = 0;
  let sendingOver = false;
  const followUps: Promise<void>[] = [];
  const follow = { client: opts.client, waitTimeoutMs: opts.waitTimeoutMs, settle: new SettleTime(), counted: () => apiCalls++, callError };

  // `split`: a half of a call DingTalk refused as too large; its recipients are this runner's by the parent's claim.
  const runJob = async ({ n, call }: Job, split = false): Promise<void> => {
    // An `each:` notification's msg is a masked sample: only a call's own msg may go out for it.
    if (n.each && call.msg === undefined) return stop(`call ${call.index + 1} of ${n.id} has no message of its own (a per-person plan edited or saved without its messages); nothing more was sent`);
    const msg = call.msg ?? JSON.stringify(n.msg);
    const intent: LedgerEntry = { type: 'intent', run: plan.run_id, key: call.key, notification: n.id, // The recorded bytes of a retry hash as the plan hashed the rendering: sha256 of the msg JSON.
    sha256: call.sha256 ?? (call.msg !== undefined ? hash('sha256', call.msg, 'hex') : n.sha256), day: plan.day, recipients: recipientKeys(call.recipients), identity: call.identity ?? n.identity, occurrence: n.occurrence };
    // A message with sensitive values is never stored: the intent says how it was rendered, and its hash (design.md §8).
    if (call.sensitive) {
      if (call.rendered) intent.rendered = call.rendered;
    } else intent.msg = msg;
    let claim: void | { claimed?: string[] };
    try {
      claim = await opts.ledger.append(intent);
    } catch (e) {
      return stop(`the ledger could not record a call's intent (${errorText(e)}); that call and the rest were not made`);
    }
    const claimed = split ? undefined : claim?.claimed;
    const recipients = claimed ? restrict(call.recipients, new Set(claimed)) : call.recipients;
    if (claimed) {
      const others = recipientKeys(call.recipients).filter((k) => !claimed.includes(k));
      const list = claimedElsewhere.get(n.id) ?? [];
      for (const k of others) list.push({ userid: k.replace(/^user:/, ''), reason: 'another runner claimed this recipient for this send' });
      claimedElsewhere.set(n.id, list);
      if (!recipients) return;
    }
    const report: CallReport = { key: call.key, index: call.index, recipients: recipients ?? call.recipients, state: 'unknown', attempts: 0 };
    reports.set(call.key, report);
    let halves: PlannedCall[] | undefined;
    let sentAt = 0;
    try {
      // The people it reaches pace DingTalk's 5000 a minute: the plan's figure, or a claimed part's own.
      const reach = report.recipients === call.recipients ? call.reach : callReach(report.recipients, n.sizes);
      const sent = await send(opts.client, JSON.parse(msg) as object, report.recipients, reach);
      apiCalls += sent.attempts;
      sentAt = Date.now();
      Object.assign(report, { state: 'sent', task_id: sent.taskId, attempts: sent.attempts });
    } catch (e) {
      const error = callError(e);
      apiCalls += error.attempts;
      // A refusal means nothing was delivered; a transport failure leaves the outcome unknown (the intent stays open).
      Object.assign(report, { state: error.kind === 'dingtalk' ? 'failed' : 'unknown', error, attempts: error.attempts });
      // "Too many recipients" refused the whole call: its recipients go again in two smaller calls (and those
      // again, down to one recipient), each with its own intent, so the ledger knows who went in which call.
      if (error.kind === 'dingtalk' && error.errcode !== undefined && TOO_MANY_RECIPIENTS.has(error.errcode)) halves = splitCall({ ...call, recipients: report.recipients }, n.sizes);
      if (halves) total += halves.length;
      if (error.errcode === QUOTA_EXHAUSTED) stop(QUOTA_STOP);
      if (error.kind === 'dingtalk') await record(opts.ledger, { type: 'refused', run: plan.run_id, key: call.key, errmsg: error.errmsg, ...(error.errcode !== undefined ? { errcode: error.errcode } : {}) }, stop);
    } finally {
      opts.onProgress?.({ phase: 'sending', done: ++done, total });
    }
    if (halves) {
      reports.delete(call.key);
      splits.set(call.key, halves);
      // A stopped run leaves the halves unmade: the report lists their recipients as not sent.
      for (const half of halves) if (stopped === undefined) await runJob({ n, call: half }, true);
      return;
    }
    if (report.state !== 'sent') return;
    if (!(await record(opts.ledger, { type: 'sent', run: plan.run_id, key: call.key, task_id: report.task_id as number }, stop))) return;
    if (opts.wait) {
      followUps.push(
        followTask(report, sentAt, follow, halt.signal).then(async () => {
          followed++;
          if (report.error?.errcode === QUOTA_EXHAUSTED) stop(QUOTA_STOP);
          // Follow-up overlaps the sends; its progress is shown once the sending phase is over.
          if (sendingOver) opts.onProgress?.({ phase: 'following', done: followed, total: followUps.length });
          const outcome = outcomeOf(plan.run_id, report);
          if (outcome) await record(opts.ledger, outcome, stop);
        }),
      );
    }
  };

  // A small pool, so an intent is written just before its call goes out, not minutes ahead of it.
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length && stopped === undefined) await runJob(jobs[next++] as Job);
  };
  // While calls are pending the process must stay alive, whatever the layers below wait on (a rate limiter's
  // unref'd timer once let a run with more than 20 calls end silently with exit code 13).
  const alive = setInterval(() => undefined, 60_000);
  try {
    await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, jobs.length) }, worker));
    sendingOver = true;
    if (followUps.length > 0) opts.onProgress?.({ phase: 'following', done: followed, total: followUps.length });
    await Promise.all(followUps);
  } finally {
    clearInterval(alive);
  }

  // A slot fires once all its calls were made, whatever DingTalk answered: failures are re-sent by planning, and an
  // interrupted notification is picked up again by the next tick.
  const made: Plan = { ...plan, notifications: plan.notifications.map((n) => (splits.size > 0 ? { ...n, calls: expandSplits(n.calls, splits) } : n)) };
  for (const n of made.notifications) {
    if (n.slot === undefined || !n.calls.every((c) => reports.has(c.key) || claimedElsewhere.has(n.id))) continue;
    if (!(await record(opts.ledger, { type: 'slot', run: plan.run_id, notification: n.id, slot: n.slot }, stop))) break;
  }
  opts.signal?.removeEventListener('abort', onAbort);
  const withClaims: Plan = { ...made, notifications: made.notifications.map((n) => ({ ...n, skipped: [...n.skipped, ...(claimedElsewhere.get(n.id) ?? [])] })) };
  const run = opts.run ?? { endpoint: DINGTALK_BASE_URL, agentId: plan.agent_id, sandbox: false };
  return buildReport(withClaims, reports, {
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    endpoint: run.endpoint,
    agent_id: run.agentId,
    sandbox: run.sandbox,
    followed_up: opts.wait,
    api_calls: apiCalls,
    ...(stopped !== undefined ? { stopped } : {}),
  });
}

/** Why a run stops at 90020: no call can succeed until the month turns (dingtalk-api.md §4: N, until next month). */
const QUOTA_STOP = "DingTalk answered 90020: the organisation's monthly API quota is used up. No further calls were made; calls come back on the 1st of next month (China time) or with a higher DingTalk edition, then `dingcast report --refresh` follows up what was sent";

/** One call: a DingTalk msg goes to asyncsend_v2; dingcast's sendbytemplate msg to sendbytemplate (no to_all_user there: validate refuses it). */
function send(client: DingTalkClient, msg: object, r: CallRecipients, reach: number | undefined): ReturnType<DingTalkClient['sendMessage']> {
  const who = { ...(r.userids ? { userids: r.userids } : {}), ...(r.deptIds ? { deptIds: r.deptIds } : {}), ...(reach !== undefined ? { recipients: reach } : {}) };
  if (isTemplateSend(msg)) return client.sendByTemplate({ ...who, ...templateSendBody(msg) });
  return client.sendMessage({ msg, ...who, ...(r.toAll ? { toAll: true } : {}) });
}

/** Append; a failure stops the run (returns false) instead of letting calls go out that the ledger does not know. */
async function record(ledger: LedgerSink, entry: LedgerEntry, stop: (why: string) => void): Promise<boolean> {
  try {
    await ledger.append(entry);
    return true;
  } catch (e) {
    stop(`the ledger could not record a call's ${entry.type === 'sent' ? 'answer' : entry.type} (${errorText(e)}); no further calls were made`);
    return false;
  }
}

function restrict(r: CallRecipients, claimed: ReadonlySet<string>): CallRecipients | undefined {
  if (r.toAll) return claimed.has('all') ? r : undefined;
  const out: CallRecipients = {};
  const users = (r.userids ?? []).filter((u) => claimed.has(`user:${u}`));
  const depts = (r.deptIds ?? []).filter((d) => claimed.has(`dept:${d}`));
  if (users.length > 0) out.userids = users;
  if (depts.length > 0) out.deptIds = depts;
  return users.length + depts.length > 0 ? out : undefined;
}

export function callError(e: unknown): CallError {
  const attempts = (e as { attempts?: number }).attempts ?? 1;
  if (e instanceof DingTalkError) return { kind: 'dingtalk', errcode: e.errcode, errmsg: e.errmsg, attempts };
  if (e instanceof TransportError) return { kind: 'transport', errmsg: e.message, attempts };
  return { kind: 'internal', errmsg: e instanceof Error ? e.message : String(e), attempts };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The per-recipient outcome record of a users-only call that has a result. */
function outcomeOf(run: string, c: CallReport): OutcomeEntry | undefined {
  const r = c.result;
  if (!r || c.task_id === undefined) return undefined;
  const listed = new Set(r.forbidden_list.map((f) => f.userid));
  const forbidden = [...r.forbidden_list.map((f) => ({ userid: f.userid, code: f.code })), ...r.forbidden_user_id_list.filter((u) => !listed.has(u)).map((userid) => ({ userid, code: 'unknown' }))];
  return { type: 'outcome', run, key: c.key, task_id: c.task_id, delivered: [...r.read_user_id_list, ...r.unread_user_id_list], failed: r.failed_user_id_list, invalid: r.invalid_user_id_list, forbidden };
}
