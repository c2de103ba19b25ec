import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { Project } from '../core/project.js';
import { planSend, PlanError } from '../core/send/plan.js';
import type { Plan, Report } from '../core/send/types.js';
import { validateProject } from '../core/validate/validateProject.js';
import { UserError } from '../errors.js';
import { applyPlan } from '../io/apply.js';
import { createDingTalkClient } from '../io/dingtalk/index.js';
import { acquireLock, ledgerView, openLedger, readLedger } from '../io/ledger.js';
import { readProjectFiles } from '../io/readProject.js';
import { computeTotals, formatReportMarkdown, formatReportSummary, newRunId, writeReport } from '../io/reports/index.js';
import { appendStepSummary } from '../review/stepSummary.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { credentialsFromEnv, type Credentials } from './credentials.js';
import { formatDiagnostics, log, out } from './output.js';
import { formatPlan } from './printPlan.js';
import { startProgress } from './progress.js';
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
  at?: string;
  waitTimeout: string;
  lockWait: string;
  due?: boolean;
  window?: string;
}

export async function runSend(projectDir: string, ids: string[], opts: SendOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.at !== undefined ? new Date(opts.at) : new Date();
  if (Number.isNaN(now.getTime())) throw new UserError(`--at \`${opts.at}\` is not an ISO time`);
  const project = await loadProjectFrom(projectDir);
  const validation = validateProject(project, { now }, (await loadCalendars(projectDir)).calendars);
  if (validation.errors.length > 0) {
    log(formatDiagnostics(validation.errors));
    log(pc.red(`✖ nothing sent: the project has ${validation.errors.length} error(s) (see \`dingcast validate\`)`));
    return 1;
  }
  if (opts.dryRun) {
    const plan = await makePlan(project, projectDir, ids, opts, now);
    if (opts.savePlan) await writeFile(resolve(projectDir, opts.savePlan), JSON.stringify(plan, null, 2) + '\n');
    if (opts.json) out(JSON.stringify(plan, null, 2));
    else out(formatPlan(plan));
    return 0;
  }
  // Plan under the lock: a run that waited for another must see the ledger that run left behind.
  const release = await acquireLock(projectDir, 'pending', Number(opts.lockWait) * 1000);
  try {
    const plan = await makePlan(project, projectDir, ids, opts, now);
    if (opts.due && plan.notifications.length === 0) return 0;
    if (opts.savePlan) await writeFile(resolve(projectDir, opts.savePlan), JSON.stringify(plan, null, 2) + '\n');
    log(formatPlan(plan));
    return await sendPlan(project, projectDir, plan, opts, env);
  } finally {
    await release();
  }
}

async function makePlan(project: Project, projectDir: string, ids: string[], opts: SendOptions, now: Date): Promise<Plan> {
  const due = opts.due ? await selectDue(project, projectDir, ids, opts, now) : undefined;
  const fingerprint = await projectFingerprint(projectDir);
  if (opts.plan) {
    const saved = JSON.parse(await readFile(resolve(projectDir, opts.plan), 'utf8').catch(() => {
      throw new UserError(`cannot read plan ${opts.plan}`);
    })) as Plan;
    if (saved.format !== 'dingcast.plan/v1') throw new UserError(`${opts.plan} is not a dingcast plan (format ${String(saved.format)})`);
    if (saved.fingerprint !== fingerprint) throw new UserError(`plan ${opts.plan} is stale: templates, notifications or the ledger changed since it was made`, 'Make a new plan with `dingcast send --dry-run --save-plan FILE` and review it again.');
    return saved;
  }
  const selected = due ? due.ids : ids.length > 0 ? ids : opts.all ? project.notifications.filter((n) => n.enabled).map((n) => n.id) : [];
  if (selected.length === 0 && !due) throw new UserError('nothing to send', 'Name notifications (`dingcast send daily-report`) or pass --all.');
  const { records } = await readLedger(projectDir);
  try {
    return planSend({ project, ids: selected, now, runId: newRunId(now), ledger: ledgerView(records), force: opts.force === true, fingerprint, ...(due ? { slots: due.slots } : {}) });
  } catch (e) {
    if (e instanceof PlanError) throw new UserError(e.message, `Known notifications: ${project.notifications.map((n) => n.id).join(', ')}.`);
    throw e;
  }
}

/** The project's files and the ledger: a saved plan is applied only while none of them changed. */
async function projectFingerprint(projectDir: string): Promise<string> {
  const files = await readProjectFiles(projectDir);
  const { sha256 } = await readLedger(projectDir);
  const h = createHash('sha256');
  for (const f of [files.notifications, ...files.templates]) if (f) h.update(`${f.file}\0${f.text}\0`);
  for (const [path, v] of files.varsFiles) h.update(`${path}\0${v.text ?? ''}\0`);
  return h.update(sha256).digest('hex');
}

async function sendPlan(project: Project, projectDir: string, plan: Plan, opts: SendOptions, env: NodeJS.ProcessEnv): Promise<number> {
  const sandbox = opts.sandbox ? await (await import('../sandbox/index.js')).startSandbox({ projectDir: resolve(projectDir) }) : undefined;
  try {
    // `send --sandbox` uses the sandbox's default app whatever the environment says (design.md §5).
    const creds: Credentials = sandbox
      ? { baseUrl: sandbox.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 }
      : credentialsFromEnv(env, project.config);
    const ledger = await openLedger(projectDir);
    const client = createDingTalkClient({ baseUrl: creds.baseUrl, appKey: creds.appKey, appSecret: creds.appSecret, agentId: creds.agentId });
    const started = new Date();
    const progress = startProgress(plan.api_calls.send);
    try {
      const notifications = await applyPlan(plan, { client, ledger, wait: opts.wait, waitTimeoutMs: Number(opts.waitTimeout) * 1000, onCall: (done, total) => progress.update(done, total) });
      await recordFiredSlots(ledger, plan);
      progress.stop();
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
      const written = await writeReport(projectDir, report);
      await appendStepSummary(formatReportMarkdown(report), env);
      if (opts.json) out(JSON.stringify(report, null, 2));
      else out(formatReportSummary(report, { dir: relative(resolve('.'), written.dir) || '.' }));
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

/** 0 only when every call was accepted and no recipient failed; unknown counts as failed when we waited. */
export function exitCodeOf(report: Report, waited: boolean): number {
  const t = report.totals;
  const refused = report.notifications.some((n) => n.calls.some((c) => c.state === 'failed' || (c.state === 'unknown' && c.error)));
  return refused || t.failed > 0 || t.forbidden > 0 || t.invalid > 0 || (waited && t.unknown > 0) ? 1 : 0;
}
