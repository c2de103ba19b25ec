import pc from 'picocolors';
import type { CallReport, NotificationReport, Report } from '../core/send/types.js';
import { UserError } from '../errors.js';
import { computeTotals, notificationReport, reportedNotifications, verdictOf, type ReportedNotification } from '../core/report/index.js';
import { callError } from '../io/apply.js';
import { createDingTalkClient, type DingTalkClient } from '../io/dingtalk/index.js';
import { meterClient } from '../io/meter.js';
import { formatReportSummary } from '../core/report/index.js';
import { readReport, writeReport } from '../io/reports/index.js';
import { askYesNo, canAsk } from './confirm.js';
import { readPoint } from '../core/report/build.js';
import { credentialsFromEnv, httpTimeoutMs } from './credentials.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { log, out } from './output.js';
import { openState } from '../io/state/index.js';
import type { CallsBy, RemindEntry } from '../core/send/records.js';
import { recordCallsOutsideRun } from './countCalls.js';
import { stateScope } from './stateScope.js';

/** `report`, `recall` and `status-bar` act on a finished run: read its report, ask DingTalk, rewrite the report. */
export async function runReport(projectDir: string, runId: string | undefined, opts: { refresh?: boolean; json?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let report = await readReport(projectDir, runId);
  // Each recipient's status, worked out once for the files and the console (issue 9).
  let reported: readonly ReportedNotification[] | undefined;
  if (opts.refresh) {
    const refreshed = await withClient(projectDir, report, env, 'refresh', async (client) => {
      for (const n of report.notifications) for (const c of n.calls) await refreshCall(client, c);
      // Results have now been asked for: unknown recipients are no longer "not asked yet".
      const rebuilt = withRemindersSent(rebuild(report), await remindRecordsOf(projectDir, report, env));
      const at = new Date().toISOString();
      // One more point of report.html's reads-over-time chart.
      return { ...rebuilt, followed_up: true, finished_at: at, read_history: [...(report.read_history ?? []), readPoint(rebuilt, at)] };
    });
    report = refreshed.report;
    reported = reportedNotifications(report);
    await writeReport(projectDir, report, refreshed.secrets, reported);
  }
  if (opts.json) out(JSON.stringify(report, null, 2));
  else out(formatReportSummary(report, reported ? { reported } : {}));
  // The same verdict `send` exited with (refreshed results may change it).
  return verdictOf(report).code;
}

/** "Recall 3 notifications (5 messages) of run X from 2,013 people? [y/N]" */
export function recallQuestion(report: Report): string {
  const sent = report.notifications.filter((n) => n.calls.some((c) => c.task_id !== undefined));
  const calls = sent.reduce((sum, n) => sum + n.calls.filter((c) => c.task_id !== undefined).length, 0);
  const people = new Set(sent.flatMap((n) => n.calls.flatMap((c) => (c.task_id === undefined ? [] : [...(c.recipients.userids ?? []), ...(c.recipients.deptIds ?? []).map((d) => `dept:${d}`), ...(c.recipients.toAll ? ['all'] : [])]))));
  const who = people.has('all') ? 'EVERYONE in the organisation' : `${people.size.toLocaleString('en-US')} recipient${people.size === 1 ? '' : 's'}`;
  return `Recall ${sent.length} notification${sent.length === 1 ? '' : 's'} (${calls} call${calls === 1 ? '' : 's'}) of run ${report.run_id} from ${who}? [y/N] `;
}

interface ActOptions {
  json?: boolean;
}

export async function runRecall(projectDir: string, runId: string, ids: string[], opts: ActOptions & { yes?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Recalling a whole run from a terminal asks first (issue 16 item 4); naming notifications, --yes or no terminal do not.
  const term = { input: process.stdin, output: process.stderr };
  if (ids.length === 0 && opts.yes !== true && canAsk(term)) {
    const report = await readReport(projectDir, runId);
    if (!(await askYesNo(recallQuestion(report), term))) {
      log(pc.yellow('nothing recalled: not confirmed (pass --yes to recall without asking)'));
      return 2;
    }
  }
  return actOnCalls(projectDir, runId, ids, env, opts, 'recall', 'recall', async (client, c) => {
    await client.recall(c.task_id as number);
    c.recalled_at = new Date().toISOString();
    return 'recalled';
  });
}

export async function runStatusBar(projectDir: string, runId: string, ids: string[], opts: { value: string; bg?: string } & ActOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (opts.bg !== undefined && !/^0x[0-9A-Fa-f]{8}$/.test(opts.bg)) throw new UserError(`--bg \`${opts.bg}\` is not a colour like 0xFF78C06E`, 'DingTalk status colours are 0x + 8 hex digits, alpha first: approved 0xFF78C06E, rejected 0xFFF65E5E.');
  // Without ids: the run's OA messages, the only ones with a status bar (judged by their template's msgtype).
  if (ids.length === 0) {
    const [report, project] = await Promise.all([readReport(projectDir, runId), loadProjectFrom(projectDir)]);
    ids = report.notifications.filter((n) => project.templates.get(n.template.split('@')[0] ?? '')?.msg.msgtype === 'oa').map((n) => n.id);
    if (ids.length === 0) throw new UserError(`run ${report.run_id} sent no OA message; only OA messages have a status bar`);
  }
  return actOnCalls(projectDir, runId, ids, env, opts, 'status-bar', 'update the status bar of', async (client, c) => {
    await client.updateStatusBar(c.task_id as number, opts.value, opts.bg);
    c.status_bar = { status_value: opts.value, updated_at: new Date().toISOString(), ...(opts.bg !== undefined ? { status_bg: opts.bg } : {}) };
    return `set the status bar to “${opts.value}” on`;
  });
}

/** Apply one DingTalk call to every sent message of a run (or of some notifications), record it, rewrite the report. */
async function actOnCalls(projectDir: string, runId: string, ids: string[], env: NodeJS.ProcessEnv, opts: ActOptions, by: CallsBy, verb: string, act: (client: DingTalkClient, c: CallReport) => Promise<string>): Promise<number> {
  const report = await readReport(projectDir, runId);
  const targets = selectCalls(report, ids);
  const results: { notification: string; call: number; task_id: number | undefined; ok: boolean; errcode?: number; errmsg?: string }[] = [];
  const { report: updated, secrets } = await withClient(projectDir, report, env, by, async (client) => {
    for (const { n, c } of targets) {
      const what = `${n.id} call ${c.index + 1} (task ${c.task_id})`;
      try {
        const done = await act(client, c);
        results.push({ notification: n.id, call: c.index + 1, task_id: c.task_id, ok: true });
        // Results on stdout, as on every command; what went wrong on stderr.
        if (!opts.json) out(`${done} ${what}`);
      } catch (e) {
        const error = callError(e);
        results.push({ notification: n.id, call: c.index + 1, task_id: c.task_id, ok: false, errcode: error.errcode, errmsg: error.errmsg });
        log(pc.red(`could not ${verb} ${what}: ${error.errmsg}`));
      }
    }
    return rebuild(report);
  });
  await writeReport(projectDir, updated, secrets);
  if (opts.json) out(JSON.stringify({ format: 'dingcast.calls/v1', run_id: report.run_id, results }, null, 2));
  return results.some((r) => !r.ok) ? 1 : 0;
}

function selectCalls(report: Report, ids: string[]): { n: NotificationReport; c: CallReport }[] {
  const unknown = ids.filter((id) => !report.notifications.some((n) => n.id === id));
  if (unknown.length > 0) throw new UserError(`run ${report.run_id} has no notification ${unknown.join(', ')}`, `It sent: ${report.notifications.map((n) => n.id).join(', ')}.`);
  const targets = report.notifications.filter((n) => ids.length === 0 || ids.includes(n.id)).flatMap((n) => n.calls.filter((c) => c.task_id !== undefined).map((c) => ({ n, c })));
  if (targets.length === 0) throw new UserError(`run ${report.run_id} has no sent message to act on`);
  return targets;
}

async function refreshCall(client: DingTalkClient, c: CallReport): Promise<void> {
  if (c.task_id === undefined) return;
  try {
    c.progress = (await client.getSendProgress(c.task_id)).progress;
    // A department or to_all_user task may reach more than the 100 recipients getsendresult can answer for.
    const usersOnly = !c.recipients.toAll && !c.recipients.deptIds;
    if (usersOnly) c.result = (await client.getSendResult(c.task_id)).result;
  } catch (e) {
    c.error = callError(e);
  }
}

/** The `remind` records of the run's state: reminders later runs sent to this run's unread. */
async function remindRecordsOf(projectDir: string, report: Report, env: NodeJS.ProcessEnv): Promise<RemindEntry[]> {
  const project = await loadProjectFrom(projectDir);
  const store = await openState({ projectDir, target: report.endpoint, env, ...stateScope(project.config, false, env) });
  try {
    const { records } = await store.read({});
    return records.filter((r): r is RemindEntry & { v: 1; ts: string } => r.type === 'remind' && r.of === report.run_id);
  } finally {
    await store.close();
  }
}

/** Each notification's reminders sent (report.json `reminders`, report.md/html), from the ledger's `remind` records. */
function withRemindersSent(report: Report, records: readonly (RemindEntry & { ts?: string })[]): Report {
  if (records.length === 0) return report;
  const notifications = report.notifications.map((n) => {
    const mine = records.filter((r) => r.notification === n.id && r.unread.length > 0);
    if (mine.length === 0) return n;
    return { ...n, reminders: mine.map((r) => ({ run: r.run, at: r.ts ?? new Date().toISOString(), template: r.template, unread: r.unread, read: r.read })) };
  });
  return { ...report, notifications };
}

function rebuild(report: Report): Report {
  const notifications = report.notifications.map((n) => ({ ...notificationReport(n, n.calls) }));
  // finished_at stays the run's own: a recall or a status-bar update hours later did not finish the run then.
  return { ...report, notifications, totals: computeTotals(notifications) };
}

/**
 * Runs `fn` with a client for the run's endpoint; also returns the credential values the report must not contain.
 * Its metered calls (getsendprogress/getsendresult, recall, status_bar/update) count towards the monthly quota.
 */
async function withClient(projectDir: string, report: Report, env: NodeJS.ProcessEnv, by: CallsBy, fn: (client: DingTalkClient) => Promise<Report>): Promise<{ report: Report; secrets: string[] }> {
  if (report.sandbox) {
    throw new UserError(`run ${report.run_id} went to the in-process sandbox of \`send --sandbox\`, which ended with that run`, 'To try report --refresh, recall and status-bar, start `dingcast sandbox` and send with DINGTALK_BASE_URL pointing at it.');
  }
  const project = await loadProjectFrom(projectDir);
  const creds = credentialsFromEnv(env, project.config);
  if (creds.baseUrl !== report.endpoint) {
    throw new UserError(`run ${report.run_id} was sent to ${report.endpoint}, but DINGTALK_BASE_URL points at ${creds.baseUrl}`, report.sandbox ? 'That run went to an in-process sandbox, which is gone; only runs sent to a lasting sandbox (`dingcast sandbox`) or to DingTalk can be followed up.' : 'Point DINGTALK_BASE_URL at the endpoint the run used.');
  }
  const agentId = typeof report.agent_id === 'number' ? report.agent_id : creds.agentId;
  const meter = meterClient(createDingTalkClient({ baseUrl: creds.baseUrl, appKey: creds.appKey, appSecret: creds.appSecret, ...(creds.isv ? { isv: creds.isv } : {}), agentId, timeoutMs: httpTimeoutMs(env) }));
  const client = meter.client;
  try {
    const updated = await fn(client);
    return { report: updated, secrets: client.credentialValues() };
  } finally {
    await client.close();
    await recordCallsOutsideRun({ projectDir, target: report.endpoint, config: project.config }, { run: report.run_id, app: String(agentId), by }, meter, env);
  }
}
