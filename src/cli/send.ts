import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { Project } from '../core/project.js';
import { planSend, PlanError } from '../core/send/plan.js';
import type { Plan, Report } from '../core/send/types.js';
import { nodeDebugWarning } from '../core/validate/nodeDebug.js';
import { sealPlan } from '../core/validate/savedPlan.js';
import { validateProject } from '../core/validate/validateProject.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import type { DingTalkClient } from '../io/dingtalk/index.js';
import { ledgerView } from '../io/ledger.js';
import { openState, type StateStore } from '../io/state/index.js';
import { dayIn } from '../core/send/day.js';
import { readProjectFiles } from '../io/readProject.js';
import { fsUserError } from '../io/fsError.js';
import { readSavedPlan } from '../io/savedPlan.js';
import { computeTotals, formatReportMarkdown, formatReportSummary, newRunId, writeReport } from '../io/reports/index.js';
import { appendStepSummary } from '../review/stepSummary.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { targetOf } from './commands/options.js';
import { credentialsFromEnv, resolveAgentId, type Credentials } from './credentials.js';
import { formatDiagnostics, log, out, projectSources } from './output.js';
import { formatPlan } from './printPlan.js';
import { loadCalendars, recordFiredSlots, selectDue } from './schedule.js';

export interface SendOptions {
  all?: boolean;
  dryRun?: boolean;
  savePlan?: string;
  plan?: string;
  sandbox?: boolean;
  force?: boolean;
  wait: boolean;
  json?: boolean;
  at?: Date;
  waitTimeout: string;
  lockWait: string;
  due?: boolean;
  window?: string;
}

export async function runSend(projectDir: string, ids: string[], opts: SendOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.at ?? new Date();
  const waitTimeoutMs = seconds('--wait-timeout', opts.waitTimeout);
  const lockWaitMs = seconds('--lock-wait', opts.lockWait);
  // A future --at would record slots that have not come yet, and the real run at that time would skip them.
  if (opts.due && !opts.dryRun && opts.at !== undefined && now.getTime() > Date.now() + 60_000) {
    throw new UserError('--due with a future --at would mark slots as fired before they come', 'Use --dry-run to preview a future time; --at in the past back-fills.');
  }
  const project = await loadProjectFrom(projectDir);
  const validation = validateProject(project, { now }, (await loadCalendars(projectDir)).calendars);
  if (validation.errors.length > 0) {
    log(formatDiagnostics(validation.errors, projectSources(projectDir)));
    log(pc.red(`✖ nothing sent: the project has ${validation.errors.length} error(s) (see \`dingcast validate\`)`));
    return 1;
  }
  if (ids.length === 0 && !opts.all && !opts.due && !opts.plan) {
    throw new UserError('nothing to send', `Name notifications (e.g. \`dingcast send ${project.notifications[0]?.id ?? 'ID'}\`) or pass --all.`);
  }
  const target = targetOf(opts.sandbox, env);
  // The sandbox's credentials are public; a real target's are not.
  const debugLeak = opts.sandbox ? undefined : nodeDebugWarning(env.NODE_DEBUG);
  if (debugLeak) log(pc.yellow(`warning: ${debugLeak}`));
  if (opts.dryRun) {
    const store = await openState({ projectDir, target, env, ...stateScope(project, opts, env) });
    try {
      const plan = await makePlan(project, projectDir, ids, opts, now, target, store);
      if (opts.savePlan) await writeFile(resolve(projectDir, opts.savePlan), JSON.stringify(plan, null, 2) + '\n');
      if (opts.json) out(JSON.stringify(plan, null, 2));
      else out(formatPlan(plan));
      return 0;
    } finally {
      await store.close();
    }
  }
  // Credentials are checked before anything is planned or recorded: a wrong secret must not look like failed deliveries.
  const creds = opts.sandbox ? undefined : credentialsFromEnv(env, project.config);
  // Plan under the lock: a run that waited for another must see the ledger that run left behind.
  const runId = newRunId(now);
  const store = await openState({ projectDir, target, env, ...stateScope(project, opts, env) });
  try {
    // --due decides from the clock; a runner whose clock is far from the shared database's would fire wrong slots.
    const skew = store.serverClockSkewMs ?? 0;
    if (opts.due && Math.abs(skew) > 60_000) throw new UserError(`this machine's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'behind' : 'ahead of'} the state database's; --due refuses to fire slots by it`, 'Fix the clock (NTP) of this runner. Nothing was sent.');
    await store.lock(runId, lockWaitMs);
    const plan = await makePlan(project, projectDir, ids, opts, now, target, store, runId);
    if (opts.due && plan.notifications.length === 0) return 0;
    if (opts.savePlan) await writeFile(resolve(projectDir, opts.savePlan), JSON.stringify(plan, null, 2) + '\n');
    log(formatPlan(plan));
    return await sendPlan(projectDir, plan, opts, creds, store, waitTimeoutMs, env);
  } finally {
    // Closing releases the lock (after the last record is on disk).
    await store.close();
  }
}

/** The agent id that, with the target, scopes a shared state; `--sandbox` uses the sandbox's default app. */
function stateScope(project: Project, opts: SendOptions, env: NodeJS.ProcessEnv): { agentId?: number } {
  if (opts.sandbox) return { agentId: 100000001 };
  try {
    return { agentId: resolveAgentId(project.config.agentId, env) };
  } catch {
    return {};
  }
}

function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UserError(`${flag} \`${value}\` is not a number of seconds`, `e.g. ${flag} 60`);
  return n * 1000;
}

async function makePlan(project: Project, projectDir: string, ids: string[], opts: SendOptions, now: Date, target: string, store: StateStore, runId = newRunId(now)): Promise<Plan> {
  // Planning needs only the plan's day and the last fired slots, so a year of history does not slow a run.
  const ledger = await store.read({ day: dayIn(now, project.config.timezone) });
  for (const w of ledger.warnings) log(pc.yellow(`warning: ${w}`));
  const { records } = ledger;
  const due = opts.due ? await selectDue(project, projectDir, ids, opts, now, records) : undefined;
  const fingerprint = await projectFingerprint(projectDir, target, ledger.sha256);
  if (opts.plan) return readSavedPlan(projectDir, opts.plan, fingerprint);
  const selected = due ? due.ids : ids.length > 0 ? ids : opts.all ? project.notifications.filter((n) => n.enabled).map((n) => n.id) : [];
  if (selected.length === 0 && !due) throw new UserError('nothing to send', `Name notifications (e.g. \`dingcast send ${project.notifications[0]?.id ?? 'ID'}\`) or pass --all.`);
  for (const id of ids) {
    if (project.notifications.find((n) => n.id === id)?.enabled === false) log(pc.yellow(`warning: ${id} is disabled (enabled: false); sending it because it was named`));
  }
  try {
    // The saved fingerprint covers the plan's body too, so `--plan F` refuses an edited plan (src/io/savedPlan.ts).
    return sealPlan(planSend({ project, ids: selected, now, runId, ledger: ledgerView(records), force: opts.force === true, fingerprint, ...(due ? { slots: due.slots } : {}) }), fingerprint);
  } catch (e) {
    if (e instanceof PlanError) throw new UserError(e.message, `Known notifications: ${project.notifications.map((n) => n.id).join(', ')}.`);
    throw e;
  }
}

/** The project's files and the ledger: a saved plan is applied only while none of them changed. */
async function projectFingerprint(projectDir: string, target: string, sha256: string): Promise<string> {
  const files = await readProjectFiles(projectDir);
  const h = createHash('sha256');
  for (const f of [files.notifications, ...files.templates]) if (f) h.update(`${f.file}\0${f.text}\0`);
  for (const [path, v] of files.varsFiles) h.update(`${path}\0${v.text ?? ''}\0`);
  for (const [path, v] of files.dataFiles ?? []) h.update(`${path}\0`).update(v.bytes ?? new Uint8Array()).update('\0');
  return h.update(target).update(sha256).digest('hex');
}

async function sendPlan(projectDir: string, plan: Plan, opts: SendOptions, envCreds: Credentials | undefined, ledger: StateStore, waitTimeoutMs: number, env: NodeJS.ProcessEnv): Promise<number> {
  const sandbox = envCreds ? undefined : await (await import('../sandbox/index.js')).startSandbox({});
  // Loaded only for a real run: a dry run needs neither the HTTP client (undici) nor the sender.
  const [{ createDingTalkClient }, { applyPlan }, { startProgress }] = await Promise.all([import('../io/dingtalk/index.js'), import('../io/apply.js'), import('./progress.js')]);
  try {
    // `send --sandbox` uses the sandbox's default app whatever the environment says (design.md §5).
    const creds: Credentials = envCreds ?? { baseUrl: sandbox?.url ?? '', appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 };
    const client = createDingTalkClient({ baseUrl: creds.baseUrl, appKey: creds.appKey, appSecret: creds.appSecret, agentId: creds.agentId });
    await checkCredentials(client, creds.baseUrl);
    const started = new Date();
    const progress = startProgress(process.stderr, env);
    try {
      const notifications = await applyPlan(plan, { client, ledger, wait: opts.wait, waitTimeoutMs, onProgress: (e) => progress.update(e) });
      await recordFiredSlots(ledger, plan);
      progress.update({ phase: 'writing', done: 0, total: 1 });
      const report: Report = {
        format: 'dingcast.report/v1',
        run_id: plan.run_id,
        started_at: started.toISOString(),
        finished_at: new Date().toISOString(),
        endpoint: creds.baseUrl,
        agent_id: creds.agentId,
        dry_run: false,
        force: plan.force,
        sandbox: sandbox !== undefined,
        notifications,
        totals: computeTotals(notifications),
        api_calls: plan.api_calls.total,
      };
      // The sends happened: a report that cannot be written must not hide them. The summary and --json still
      // print, the ledger stays the truth, and exit 2 says the run could not finish its job (README, exit codes).
      const written = await writeReport(projectDir, report, [creds.appSecret]).catch((e: unknown) => e as Error);
      await appendStepSummary(formatReportMarkdown(report), env);
      progress.stop();
      if (opts.json) out(JSON.stringify(report, null, 2));
      else out(formatReportSummary(report, written instanceof Error ? {} : { dir: relative(resolve('.'), written.dir) || '.' }));
      if (written instanceof Error) {
        const why = fsUserError(written)?.message ?? written.message;
        log(`${pc.red('error')} the messages were sent, but the reports could not be written: ${why}`);
        log(`  ${pc.dim('hint:')} Every send is in the ledger (.dingcast/), so a new run will not send them twice; keep this output (or --json) as the run's record and make reports/ writable.`);
        return 2;
      }
      return exitCodeOf(report, opts.wait);
    } finally {
      progress.stop();
      await client.close();
      await ledger.close();
    }
  } finally {
    await sandbox?.close();
  }
}

/** Before any intent is recorded: a wrong key/secret or an unreachable endpoint is a run that could not start (exit 2). */
async function checkCredentials(client: DingTalkClient, baseUrl: string): Promise<void> {
  try {
    await client.checkCredentials();
  } catch (e) {
    await client.close();
    if (e instanceof DingTalkError) throw new UserError(`DingTalk refused the app credentials (errcode ${e.errcode} ${e.errmsg}); nothing was sent`, 'Check DINGTALK_APP_KEY and DINGTALK_APP_SECRET (the app\'s Client ID and Client Secret).');
    if (e instanceof TransportError) throw new UserError(`cannot reach ${baseUrl}: ${e.message}; nothing was sent`, 'Check the network and DINGTALK_BASE_URL.');
    throw e;
  }
}

/** 0 only when every call was accepted and no recipient failed; unknown counts as failed when we waited. */
export function exitCodeOf(report: Report, waited: boolean): number {
  const t = report.totals;
  const refused = report.notifications.some((n) => n.calls.some((c) => c.state === 'failed' || (c.state === 'unknown' && c.error)));
  return refused || t.failed > 0 || t.forbidden > 0 || t.invalid > 0 || (waited && t.unknown > 0) ? 1 : 0;
}
