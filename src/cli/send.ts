import { stat, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import pc from 'picocolors';
import type { Project } from '../core/project.js';
import { mediaIdsOf } from '../core/media/index.js';
import { ledgerView } from '../core/send/ledgerView.js';
import { planSend, PlanError } from '../core/send/plan.js';
import { overQuota, quotaLine, quotaOf, runCost, type Quota } from '../core/send/quota.js';
import { holdsSensitive, publicPlan } from '../core/send/publicPlan.js';
import type { BrokenNotification, Plan, Report } from '../core/send/types.js';
import type { ReminderPreview } from '../core/send/remind.js';
import { formatInZone } from '../core/time.js';
import { nodeDebugWarning } from '../core/validate/nodeDebug.js';
import { sealPlan } from '../core/validate/savedPlan.js';
import { blame, filesWithout, rawNotifications, type Blame } from '../core/validate/blame.js';
import { loadProject } from '../core/load/loadProject.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { checkMobiles, checkRecipientIds, departmentReach } from '../core/recipients/check.js';
import { resolveMobiles, type ResolvedMobile } from '../core/recipients/mobiles.js';
import { indexDirectory, type DirectoryIndex } from '../core/recipients/directory.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import type { DingTalkClient } from '../io/dingtalk/index.js';
import { fsUserError } from '../io/fsError.js';
import { meterClient } from '../io/meter.js';
import { recordCalls } from './countCalls.js';
import { openState, type StateStore } from '../io/state/index.js';
import { readProjectSide, readWorkspace, workspaceFingerprint, type ProjectSide, type Workspace } from '../io/readProject.js';
import { resolvePlanMedia } from '../io/media/uploadPlanMedia.js';
import { readSavedPlan } from '../io/savedPlan.js';
import { newRunId } from '../io/reports/runId.js';
import { parseSeconds, targetOf } from './commands/options.js';
import { credentialsFromEnv, credentialsHint, httpTimeoutMs, sandboxCredentials, type Credentials } from './credentials.js';
import { stateScope } from './stateScope.js';
import { formatDiagnostics, log, out, projectSources } from './output.js';
import { askYesNo, canAsk, confirmQuestion } from './confirm.js';
import { formatPlan } from './printPlan.js';
import { formatReminders, reminderCalls } from './printReminders.js';
import type { Progress } from './progress.js';
import { cacheEnabled, cachedValidation, validationOf } from './validationCache.js';
import { withLookedUpMobiles } from './lookUpMobiles.js';

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
  yes?: boolean;
  /** `dingcast remind RUN [--after 2h]`: send that run's unread reminders (and nothing else). */
  remindRun?: string;
  remindAfterMs?: number;
  /** Send although the plan goes over `app.monthly_call_quota`. */
  overQuota?: boolean;
}

/**
 * `dingcast send`: read the workspace once → validate → plan (pure) → apply (every ledger write) → write the
 * report → exit with the report's verdict. A real run reads under the lock, so a run that waited for another sees
 * the ledger that run left behind.
 */
export async function runSend(projectDir: string, ids: string[], opts: SendOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.at ?? new Date();
  const waitTimeoutMs = parseSeconds('--wait-timeout', opts.waitTimeout);
  const lockWaitMs = parseSeconds('--lock-wait', opts.lockWait);
  // A future --at would record slots that have not come yet, and the real run at that time would skip them.
  if (opts.due && !opts.dryRun && opts.at !== undefined && now.getTime() > Date.now() + 60_000) {
    throw new UserError('--due with a future --at would mark slots as fired before they come', 'Use --dry-run to preview a future time; --at in the past back-fills.');
  }
  const target = targetOf(opts.sandbox, env);
  await assertProjectFolder(projectDir);
  // A dry run may reuse validate's answer for an unchanged folder: looked up before the read, confirmed after it.
  const before = opts.dryRun ? await cachedValidation(projectDir, now, env) : undefined;
  // A dry run also takes unchanged YAML files' values from .dingcast/cache/yaml.json; a real send parses afresh.
  const side = await readProjectSide(projectDir, now, { yamlCache: opts.dryRun === true && cacheEnabled(env) });
  // The sandbox's credentials are public; a real target's are not.
  const debugLeak = opts.sandbox ? undefined : nodeDebugWarning(env.NODE_DEBUG);
  if (debugLeak) log(pc.yellow(`warning: ${debugLeak}`));
  const store = await openState({ projectDir, target, env, ...stateScope(side.project?.config, opts.sandbox, env) });
  try {
    if (opts.dryRun) {
      const ws = await withMobiles(await readWorkspace(side, target, store, now), opts, env);
      const validation = side.project ? await validationOf({ ...side, project: side.project }, now, env, before) : undefined;
      // validate's answer also names broken calendar files: they stop only --due, which says so when it reads them.
      const checked = await checkedProject(ws, ids, opts, now, validation?.errors.filter((d) => d.code !== 'calendar/invalid-file'));
      if (!checked) return 1;
      const plan = opts.plan ? readSavedPlan(projectDir, opts.plan, workspaceFingerprint(ws)) : await makePlan(checked, ws, ids, opts, now, newRunId(now));
      // The reminders a real run would send (design.md §9), without asking DingTalk who has read; a saved plan's own.
      const reminders = remindsToo(opts) ? await reminderPreview(checked.project, ws, ids, opts, store, now) : plan.reminders ? { previews: plan.reminders, notes: [] } : undefined;
      if (opts.savePlan) await savePlan(projectDir, opts.savePlan, withSavedReminders(plan, reminders?.previews, ws));
      const quota = quotaFor(plan, ws, checked.project, opts, env, now, reminders ? reminderCalls(reminders.previews) : 0);
      // The left-out broken notifications too, as a real run's report.json has them (issue 16 item 3).
      const broken = checked.skipped.length > 0 ? { broken: checked.skipped } : {};
      if (opts.json) out(JSON.stringify({ ...publicPlan(plan), ...(quota ? { quota } : {}), ...(reminders && (reminders.previews.length > 0 || opts.remindRun !== undefined) ? { reminders: reminders.previews } : {}), ...broken }, null, 2));
      else out((opts.remindRun === undefined ? formatPlan(plan) : '') + (reminders ? formatReminders(reminders.previews, reminders.notes, plan.timezone, now) : '') + (quota ? quotaText(quota, opts) : ''));
      return checked.skipped.length > 0 ? 1 : 0;
    }
    return await sendUnderLock(side, ids, opts, env, store, now, target, waitTimeoutMs, lockWaitMs);
  } finally {
    // Closing releases the lock (after the last record is durable).
    await store.close();
  }
}

/** Read the ledger, plan and send with the lock held: a run that waited for another sees the ledger that run left behind. */
async function sendUnderLock(side: ProjectSide, ids: string[], opts: SendOptions, env: NodeJS.ProcessEnv, store: StateStore, now: Date, target: string, waitTimeoutMs: number, lockWaitMs: number): Promise<number> {
  const projectDir = side.dir;
  // --due decides from the clock; a runner whose clock is far from the shared database's would fire wrong slots.
  const skew = store.serverClockSkewMs ?? 0;
  if (opts.due && Math.abs(skew) > 60_000) throw new UserError(`this machine's clock is ${Math.round(Math.abs(skew) / 1000)} s ${skew > 0 ? 'behind' : 'ahead of'} the state database's; --due refuses to fire slots by it`, 'Fix the clock (NTP) of this runner. Nothing was sent.');
  const runId = newRunId(now);
  await store.lock(runId, lockWaitMs);
  const ws = await withMobiles(await readWorkspace(side, target, store, now), opts, env);
  const checked = await checkedProject(ws, ids, opts, now);
  if (!checked) return 1;
  const { project, skipped } = checked;
  // Credentials are checked before anything is planned or recorded: a wrong secret must not look like failed deliveries.
  const creds = opts.sandbox ? undefined : credentialsFromEnv(env, project.config);
  let plan = opts.plan ? readSavedPlan(projectDir, opts.plan, workspaceFingerprint(ws)) : await makePlan(checked, ws, ids, opts, now, runId);
  // A saved `--due` plan's reminders: sent as they are planned now, but only those the saved plan names.
  const { reminders: saved, ...rest } = plan;
  plan = rest;
  // Unread reminders (design.md §9): `send --due` sends those due, `remind RUN` that run's, `send --plan F` F's.
  // Deciding them asks getsendresult (`lookups`, made already): part of this run's cost.
  let lookups = 0;
  if (await lookupsGoOver(plan, project, ws, ids, opts, env, store, now, saved)) return 2;
  if (remindsToo(opts)) ({ plan, lookups } = await remindersOf(plan, project, ws, ids, opts, creds, store, now, runId, env));
  else if (saved && saved.length > 0) ({ plan, lookups } = await remindersOf(plan, project, ws, [], opts, creds, store, now, runId, env, saved));
  // Nothing due: no run and no report (a cron tick every few minutes would fill reports/ with empty runs), but the
  // result says so on stdout; a broken notification left out still makes it exit 1 (printed above).
  if ((opts.due || opts.remindRun !== undefined) && plan.notifications.length === 0) {
    if (opts.due) out(nothingDue(now, project.config.timezone, skipped, opts.json === true));
    return skipped.length > 0 ? 1 : 0;
  }
  if (opts.savePlan) await savePlan(projectDir, opts.savePlan, plan);
  log(formatPlan(plan) + (lookups > 0 ? `  and ${lookups} getsendresult call${lookups === 1 ? '' : 's'} made to decide the reminders\n` : ''));
  // The monthly quota (issue 16 item 10): the run's cost (the reminder lookups too) and what is left (as the state
  // was read before them); going over is refused unless --over-quota.
  const quota = quotaFor(plan, ws, project, opts, env, now, lookups);
  if (quota) {
    log(quotaText(quota, opts));
    const over = overQuota(quota);
    if (over && !opts.overQuota) {
      log(pc.red(`✖ nothing sent: ${over}`));
      log(`  ${pc.dim('hint:')} Pass --over-quota to send anyway (DingTalk answers 90020 once the organisation's quota is gone), raise app.monthly_call_quota, or send fewer calls (more userids per call: limits.userids_per_call).`);
      return 2;
    }
  }
  if (!(await confirmed(plan, opts))) {
    log(pc.yellow('nothing sent: not confirmed (pass --yes to send without asking)'));
    return 2;
  }
  // Loaded only for a real run: a dry run does not need the progress renderer.
  const progress = (await import('./progress.js')).startProgress(process.stderr, env);
  try {
    const { report, secrets } = await sendPlan(projectDir, plan, opts, creds, store, waitTimeoutMs, progress, project.config.limits, httpTimeoutMs(env));
    progress.update({ phase: 'writing', done: 0, total: 1 });
    // The left-out notifications are the run's failures too: in report.json/md and junit, and in its verdict (exit 1).
    return await finish(projectDir, skipped.length > 0 ? { ...report, broken: skipped } : report, secrets, opts, env, progress);
  } finally {
    progress.stop();
  }
}

/** `send --due` with nothing due (no slot, no re-send, no reminder): what stdout says instead of a report. */
function nothingDue(now: Date, timezone: string, broken: readonly BrokenNotification[], json: boolean): string {
  if (json) return JSON.stringify({ nothing_due: true, at: now.toISOString(), timezone, sent: 0, report: null, broken: broken.map((b) => b.id) }, null, 2);
  const left = broken.length > 0 ? ` (${broken.map((b) => b.id).join(', ')} left out for errors, above)` : '';
  return `nothing due at ${formatInZone(now, timezone)}: nothing sent, so no run and no report${left}`;
}

/** `send --due` also sends the unread reminders that are due, `remind RUN` that run's (`send --sandbox` has none: see remindersOf). */
function remindsToo(opts: SendOptions): boolean {
  return opts.remindRun !== undefined || (opts.due === true && !opts.plan);
}

/** A dry run's reminders: read from the ledger alone; the in-process sandbox of --sandbox has sent nothing earlier. */
async function reminderPreview(project: Project, ws: Workspace, ids: string[], opts: SendOptions, store: StateStore, now: Date): Promise<{ previews: ReminderPreview[]; notes: string[] } | undefined> {
  if (opts.sandbox) return undefined;
  const { previewReminders } = await import('./remind.js');
  const run = opts.remindRun !== undefined ? { run: opts.remindRun, afterMs: opts.remindAfterMs ?? 0 } : {};
  return previewReminders({ project, records: ws.records, store, now, ids: opts.remindRun !== undefined ? [] : ids, ...run });
}

/**
 * Deciding the reminders asks getsendresult once per task of each reminded run, and those calls are metered: when
 * the plan's calls and these lookups alone already go over `app.monthly_call_quota`, the run is refused before any
 * lookup is made (after them it would be refused too, with the lookups spent). Without --over-quota only.
 */
async function lookupsGoOver(plan: Plan, project: Project, ws: Workspace, ids: string[], opts: SendOptions, env: NodeJS.ProcessEnv, store: StateStore, now: Date, saved: readonly ReminderPreview[] | undefined): Promise<boolean> {
  if (opts.overQuota || project.config.monthlyCallQuota === undefined || !(remindsToo(opts) || (saved && saved.length > 0))) return false;
  const previews = saved ?? (await reminderPreview(project, ws, ids, opts, store, now))?.previews ?? [];
  const asks = previews.filter((p) => p.state !== 'later').reduce((n, p) => n + p.calls.getsendresult, 0);
  if (asks === 0) return false;
  const quota = quotaFor(plan, ws, project, opts, env, now, asks);
  const over = quota && overQuota(quota);
  if (!quota || !over) return false;
  log(formatPlan(plan) + `  and ${asks} getsendresult call${asks === 1 ? '' : 's'} to decide the reminders\n` + quotaText(quota, opts));
  log(pc.red(`✖ nothing sent and no reminder looked up: ${over}`));
  log(`  ${pc.dim('hint:')} Pass --over-quota to send anyway, raise app.monthly_call_quota, or wait for next month's quota (the reminders' getsendresult lookups are metered calls too).`);
  return true;
}

/**
 * The plan with the unread reminders due now; `send --sandbox` has none (its in-process sandbox is new each run).
 * `saved`: a saved plan's reminders, the only ones `send --plan F` sends.
 */
async function remindersOf(plan: Plan, project: Project, ws: Workspace, ids: string[], opts: SendOptions, creds: Credentials | undefined, store: StateStore, now: Date, runId: string, env: NodeJS.ProcessEnv, saved?: readonly ReminderPreview[]): Promise<{ plan: Plan; lookups: number }> {
  if (!creds) {
    if (opts.remindRun !== undefined) throw new UserError('`remind` needs the DingTalk (or `dingcast sandbox`) the run was sent to; --sandbox starts a new one each run', 'Point DINGTALK_BASE_URL at the endpoint the run used.');
    return { plan, lookups: 0 };
  }
  const { withReminders } = await import('./remind.js');
  const run = opts.remindRun !== undefined ? { run: opts.remindRun, afterMs: opts.remindAfterMs ?? 0 } : {};
  const only = saved ? { only: saved.map((s) => ({ notification: s.notification, run: s.run })) } : {};
  const reminded = await withReminders(plan, { project, records: ws.records, store, creds, timeoutMs: httpTimeoutMs(env), now, runId, ids: opts.remindRun !== undefined ? [] : ids, ...run, ...only });
  return { plan: sealPlan(reminded.plan, workspaceFingerprint(ws)), lookups: reminded.lookups };
}

/**
 * What `--save-plan` of a dry run writes: the plan, with the reminders a real run would send now (due or owed, not
 * the later ones) under the fingerprint, so `send --plan F` sends them and an edited list is refused.
 */
function withSavedReminders(plan: Plan, previews: readonly ReminderPreview[] | undefined, ws: Workspace): Plan {
  const { reminders: _old, ...body } = plan;
  const kept = (previews ?? []).filter((r) => r.state !== 'later');
  return sealPlan(kept.length > 0 ? { ...body, reminders: kept } : body, workspaceFingerprint(ws));
}

/**
 * The quota line's figures for a run to a real target: DingTalk, or a `dingcast sandbox` process standing in for it.
 * The in-process sandbox of `send --sandbox` meters nothing (it is new each run).
 */
function quotaFor(plan: Plan, ws: Workspace, project: Project, opts: SendOptions, env: NodeJS.ProcessEnv, now: Date, extraCalls = 0): Quota | undefined {
  if (opts.sandbox) return undefined;
  return quotaOf(ws.records, appOf(project, env, plan), now, runCost(plan, opts.wait) + extraCalls, project.config.monthlyCallQuota);
}

/** Whose quota: the app (agent id) the run sends as, as the calls records name it. */
function appOf(project: Project, env: NodeJS.ProcessEnv, plan: Plan): string {
  return String(stateScope(project.config, false, env).agentId ?? plan.agent_id ?? '');
}

function quotaText(q: Quota, opts: SendOptions): string {
  const over = overQuota(q);
  const line = `  ${quotaLine(q)}`;
  if (!over) return line + '\n';
  return pc.yellow(`${line}\n  ${opts.overQuota ? 'over the quota: sending anyway (--over-quota)' : opts.dryRun ? 'over the quota: a real run would be refused (unless --over-quota)' : 'over the quota'}`) + '\n';
}

/** A real send from a terminal asks first; --yes, --sandbox, or no terminal (cron, CI, a pipe) do not. */
async function confirmed(plan: Plan, opts: SendOptions): Promise<boolean> {
  const term = { input: process.stdin, output: process.stderr };
  if (opts.yes || opts.sandbox || !canAsk(term)) return true;
  const question = confirmQuestion(plan);
  return question === undefined || (await askYesNo(question, term));
}

/** What a run may send: the project without the notifications that have errors of their own. */
interface Checked {
  project: Project;
  /** Notifications this run would have sent but left out for their errors (printed above, in the reports; exit 1). */
  skipped: BrokenNotification[];
  /** How each notification's `mobile:` recipients were resolved, for the plan. */
  mobiles: Map<string, ResolvedMobile[]>;
}

/**
 * The loaded project, or undefined after printing why nothing can be sent (exit 1). A notification with errors of
 * its own stops only itself (issue 16): `send --all`/`--due` go ahead with the others, `send ID` refuses only when ID
 * (or what it uses) is broken. An error of the whole project (app, timezone, groups) still stops everything.
 */
async function checkedProject(ws: Workspace, ids: string[], opts: SendOptions, now: Date, validated?: Diagnostic[]): Promise<Checked | undefined> {
  // An unreadable notifications.yaml is a problem the core reports with its position; a missing one is not a project.
  if (!ws.project) {
    throw new UserError(`no notifications.yaml in ${ws.dir === '.' ? 'the current folder' : ws.dir}`, 'Run dingcast in a project folder, pass --project DIR, or scaffold one with `dingcast init`.');
  }
  for (const w of ws.ledgerWarnings) log(pc.yellow(`warning: ${w}`));
  const org = orgOf(ws);
  // `validated`: the same errors, already known (a dry run's validation, see validationOf).
  // validate stays offline: the answers getbymobile gave this run are judged here (checkMobiles).
  const errors = validated ? [...validated, ...checkMobiles(ws.project, ws.mobiles)] : await projectErrors(ws.project, ws, org, now);
  const healthy = errors.length === 0 ? { project: ws.project, skipped: [] } : await withoutBroken(ws, ws.project, errors, ids, opts, now, org);
  if (!healthy) return undefined;
  // Every mobile left is known here: an unknown one is an error above, at the line it was written (checkMobiles).
  const mobiles = resolveMobiles(healthy.project, ws.mobiles);
  if (mobiles.unresolved.length > 0) {
    const more = mobiles.unresolved.length > 3 ? ` and ${mobiles.unresolved.length - 3} more` : '';
    throw new UserError(`cannot resolve ${mobiles.unresolved.slice(0, 3).join(', ')}${more} to userids`, 'Run `dingcast directory pull` (it maps every mobile the contacts APIs show), or write the userid.');
  }
  const project = mobiles.project;
  if (ids.length === 0 && !opts.all && !opts.due && !opts.plan && opts.remindRun === undefined) {
    throw new UserError('nothing to send', `Name notifications (e.g. \`dingcast send ${project.notifications[0]?.id ?? 'ID'}\`) or pass --all.`);
  }
  if (healthy.skipped.length > 0 && !opts.due && !opts.plan && ids.length === 0 && !project.notifications.some((n) => n.enabled)) {
    log(pc.red('✖ nothing sent: every notification has errors'));
    return undefined;
  }
  return { project, skipped: healthy.skipped, mobiles: mobiles.resolved };
}

/** validate's errors, and with a pulled directory every userid and department id checked offline (design.md §8). */
async function projectErrors(project: Project, ws: Workspace, org: DirectoryIndex | undefined, now: Date): Promise<Diagnostic[]> {
  // Loaded only here: a dry run with validate's cached answer needs neither the schemas (ajv) nor the checks.
  const [{ validateProject }, { checkRemindReach }] = await Promise.all([import('../core/validate/validateProject.js'), import('../core/validate/remind.js')]);
  const validation = validateProject(project, { now }, ws.calendars);
  if (org) validation.errors.push(...checkRecipientIds(project, org));
  validation.errors.push(...checkRemindReach(project, org).filter((d) => d.severity === 'error'));
  validation.errors.push(...checkMobiles(project, ws.mobiles));
  return validation.errors;
}

/** The project without its broken notifications, after printing their errors; undefined (and why) when nothing may go. */
async function withoutBroken(ws: Workspace, loaded: Project, errors: Diagnostic[], ids: string[], opts: SendOptions, now: Date, org: DirectoryIndex | undefined): Promise<Omit<Checked, 'mobiles'> | undefined> {
  const sources = projectSources(ws.dir);
  const refuse = (list: Diagnostic[], why: string): undefined => {
    log(formatDiagnostics(list, sources));
    log(pc.red(`✖ nothing sent: ${why} (see \`dingcast validate\`)`));
    return undefined;
  };
  const found = blame(loaded, errors);
  if (found.project.length > 0) return refuse(errors, `the project has ${errors.length} error(s)`);
  const project = await healthyPart(ws, loaded, found, now, org);
  const named = ids.filter((id) => found.notifications.has(id));
  if (named.length > 0) return refuse(named.flatMap((id) => found.notifications.get(id) ?? []), `${named.join(', ')} ${named.length > 1 ? 'have' : 'has'} errors`);
  if (!project) return refuse(errors, `the project has ${errors.length} error(s)`);
  const broken = new Set(found.notifications.keys());
  // The ones this run would have sent: named ones are all healthy here, --all sends the enabled, --due the scheduled.
  const source = loaded.notificationsSource ?? loaded.sources.find((s) => s.file === 'notifications.yaml');
  const raw = new Map((source ? rawNotifications(source) : []).map((n) => [n.id, n]));
  const candidate = (id: string): boolean => ids.length === 0 && !opts.plan && raw.get(id)?.enabled !== false && (opts.all === true || (opts.due === true && raw.get(id)?.scheduled === true));
  const left = [...broken].filter(candidate);
  const others = [...broken].filter((id) => !candidate(id));
  if (left.length > 0) log(formatDiagnostics(left.flatMap((id) => found.notifications.get(id) ?? []), sources));
  for (const id of left) log(pc.red(`✖ not sent: ${id} (${found.notifications.get(id)?.length ?? 0} error(s) above); the other notifications go ahead`));
  for (const file of new Set(found.unused.map((d) => d.file))) log(pc.yellow(`warning: ${file} has errors, and no notification uses it (see \`dingcast validate\`)`));
  if (others.length > 0) log(pc.yellow(`warning: ${others.join(', ')} ${others.length > 1 ? 'have' : 'has'} errors and ${others.length > 1 ? 'are' : 'is'} not part of this run (see \`dingcast validate\`)`));
  return { project, skipped: left.map((id) => brokenOf(id, found.notifications.get(id) ?? [])) };
}

/** A left-out notification as the reports keep it: its errors without the source line (reports are shared). */
function brokenOf(id: string, errors: readonly Diagnostic[]): BrokenNotification {
  return { id, diagnostics: errors.map((d) => ({ file: d.file, line: d.line, column: d.column, code: d.code, message: d.message, ...(d.hint !== undefined ? { hint: d.hint } : {}) })) };
}

/**
 * The project less the broken notifications. When notifications.yaml passed its schema they are simply left out.
 * When one of them broke the schema, the file is loaded again without their blocks; that may show errors the schema
 * failure hid (a value too long for its template), whose notifications are left out too. `found` gains them.
 */
async function healthyPart(ws: Workspace, loaded: Project, found: Blame, now: Date, org: DirectoryIndex | undefined): Promise<Project | undefined> {
  let project = loaded;
  for (let round = 0; round <= loaded.sources.length + 1; round++) {
    const broken = new Set(found.notifications.keys());
    if (project.notificationsSource) return { ...project, notifications: project.notifications.filter((n) => !broken.has(n.id)) };
    const source = loaded.sources.find((s) => s.file === 'notifications.yaml');
    if (!source) return undefined;
    project = loadProject(filesWithout(ws.files, source, broken));
    if (loaded.media) project.media = loaded.media;
    const more = blame(project, await projectErrors(project, ws, org, now));
    if (more.project.length > 0) return undefined;
    if (more.notifications.size === 0) return project.notificationsSource ? project : undefined;
    for (const [id, list] of more.notifications) found.notifications.set(id, [...(found.notifications.get(id) ?? []), ...list]);
  }
  return undefined;
}

/** `--save-plan`: a plan is the exact bytes it will send, so one with sensitive values (pay slips) is not written. */
async function savePlan(projectDir: string, file: string, plan: Plan): Promise<void> {
  if (holdsSensitive(plan)) {
    throw new UserError('this plan is not saved: its per-person messages hold sensitive values (`sensitive: true`), which never go into a file', 'Run `dingcast send` without --save-plan/--plan; `--dry-run` shows the plan with the values masked.');
  }
  await writeFile(resolve(projectDir, file), JSON.stringify(plan, null, 2) + '\n');
}

async function assertProjectFolder(dir: string): Promise<void> {
  const info = await stat(resolve(dir)).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`project folder not found: ${dir}`, 'Pass an existing folder with --project DIR, or run dingcast inside one.');
}


const orgs = new WeakMap<object, DirectoryIndex>();
/** The directory's index, built once per run (validation and the plan both need it). */
function orgOf(ws: Workspace): DirectoryIndex | undefined {
  if (!ws.directory) return undefined;
  let org = orgs.get(ws.directory);
  if (!org) orgs.set(ws.directory, (org = indexDirectory(ws.directory)));
  return org;
}

/** Each notification's `mobile:` recipients as they were resolved ("mobile:13800000000 → zhangsan"), so the plan shows who they are. */
function withMobileNotes(plan: Plan, resolved: Map<string, ResolvedMobile[]>): Plan {
  if (resolved.size === 0) return plan;
  return { ...plan, notifications: plan.notifications.map((n) => (resolved.has(n.id) ? { ...n, mobiles: resolved.get(n.id)! } : n)) };
}

/** `mobile:` recipients the directory file does not know are looked up (getbymobile) before the checks and the plan. */
async function withMobiles(ws: Workspace, opts: SendOptions, env: NodeJS.ProcessEnv): Promise<Workspace> {
  return withLookedUpMobiles(ws, opts.sandbox === true, env, () => inProcessSandbox(ws.project!.config.limits));
}

/** The plan says whether the ids were checked, and how many people each department reaches (the 5000-a-minute cap counts people). */
function withRecipientNotes(plan: Plan, project: Project, org: DirectoryIndex | undefined): Plan {
  const ids = plan.notifications.map((n) => n.id);
  const named = plan.notifications.some((n) => n.recipients.users.length > 0 || n.recipients.departments.length > 0);
  const notes = org ? departmentReach(project, org, ids) : named ? ['recipient ids were not checked: no .dingcast/directory.json (run `dingcast directory pull` to check them offline)'] : [];
  return notes.length > 0 ? { ...plan, warnings: [...plan.warnings, ...notes] } : plan;
}

/** Due selection and planning: pure functions of what the workspace read. */
async function makePlan(checked: Checked, ws: Workspace, ids: string[], opts: SendOptions, now: Date, runId: string): Promise<Plan> {
  const project = checked.project;
  const ledger = ledgerView(ws.records);
  // The schedule code (croner) is loaded only for --due.
  const due = opts.due ? (await import('./schedule.js')).selectDue(project, ids, opts, now, ws, ledger.deliveries) : undefined;
  const selected = due ? due.ids : ids.length > 0 ? ids : opts.all ? project.notifications.filter((n) => n.enabled).map((n) => n.id) : [];
  if (selected.length === 0 && !due && opts.remindRun === undefined) throw new UserError('nothing to send', `Name notifications (e.g. \`dingcast send ${project.notifications[0]?.id ?? 'ID'}\`) or pass --all.`);
  for (const id of ids) {
    if (project.notifications.find((n) => n.id === id)?.enabled === false) log(pc.yellow(`warning: ${id} is disabled (enabled: false); sending it because it was named`));
  }
  try {
    // The saved fingerprint covers the plan's body too, so `--plan F` refuses an edited plan (src/io/savedPlan.ts).
    const fingerprint = workspaceFingerprint(ws);
    // The in-process sandbox is new each run: media ids an earlier one gave mean nothing to it.
    const mediaIds = ws.target === 'sandbox' ? new Map<string, string>() : mediaIdsOf(ws.records);
    const org = orgOf(ws);
    // Department sizes pace the 5000 a minute; the in-process sandbox's company is far smaller than that.
    const sizes = { ...(org ? { org } : {}), quietUnknownSizes: ws.target === 'sandbox' };
    const plan = planSend({ project, ids: selected, now, runId, ledger, force: opts.force === true, fingerprint, mediaIds, ...sizes, ...(due ? { slots: due.slots, only: due.only } : {}) });
    return sealPlan(withMobileNotes(withRecipientNotes(plan, project, org), checked.mobiles), fingerprint);
  } catch (e) {
    if (e instanceof PlanError) throw new UserError(e.message, `Known notifications: ${project.notifications.map((n) => n.id).join(', ')}.`);
    throw e;
  }
}

/**
 * Apply the plan against DingTalk (or a sandbox). SIGINT/SIGTERM (Ctrl-C, `kubectl delete`, a CI cancel) stop new
 * calls; the calls in flight finish and the report of what was sent is written before the process exits 2.
 */
async function sendPlan(projectDir: string, planned: Plan, opts: SendOptions, envCreds: Credentials | undefined, ledger: StateStore, waitTimeoutMs: number, progress: Progress, limits: Project['config']['limits'], timeoutMs: number): Promise<{ report: Report; secrets: string[] }> {
  const sandbox = envCreds ? undefined : await (await import('../sandbox/index.js')).startSandbox(inProcessSandbox(limits));
  // Loaded only for a real run: a dry run needs neither the HTTP client (undici) nor the sender.
  const [{ createDingTalkClient }, { applyPlan }] = await Promise.all([import('../io/dingtalk/index.js'), import('../io/apply.js')]);
  try {
    // `send --sandbox` uses the sandbox's default app whatever the environment says (design.md §5).
    // An isv project gets the sandbox's ISV app, so get_corp_token and the ISV rules are what it meets.
    const creds: Credentials = envCreds ?? sandboxCredentials(sandbox?.url ?? '', planned.app_kind);
    const raw = createDingTalkClient({ baseUrl: creds.baseUrl, appKey: creds.appKey, appSecret: creds.appSecret, ...(creds.isv ? { isv: creds.isv } : {}), agentId: creds.agentId, timeoutMs });
    await checkCredentials(raw, creds);
    // Every metered call is counted for the monthly quota, except in the in-process sandbox.
    const meter = meterClient(raw);
    const client = meter.client;
    const interrupt = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      log(pc.yellow(`${signal}: no new calls; finishing the ones in flight and writing the report`));
      interrupt.abort(signal);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      // Local media files (`media_id: ./assets/x.png`) get their ids before the first send: reused or uploaded once.
      const plan = await resolvePlanMedia(planned, { client, projectDir, ledger, onUpload: (file, id) => log(`uploaded ${file} → media_id ${id}`) });
      const report = await applyPlan(plan, {
        client,
        ledger,
        wait: opts.wait,
        waitTimeoutMs,
        signal: interrupt.signal,
        run: { endpoint: creds.baseUrl, agentId: creds.agentId, sandbox: sandbox !== undefined },
        onProgress: (e) => progress.update(e),
      });
      // The tokens too: a server's errmsg may echo the access token, and the report must not carry it.
      return { report, secrets: client.credentialValues() };
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      // The run's metered calls go into the state for the monthly quota.
      if (envCreds) await recordCalls(ledger, { run: planned.run_id, app: String(creds.agentId) }, meter);
      await client.close();
    }
  } finally {
    await sandbox?.close();
  }
}

/**
 * Write the reports, print the summary, and return the report's verdict: the same one `report` gives. The sends
 * happened, so a report that cannot be written must not hide them: the summary and --json still print, the ledger
 * stays the truth, and exit 2 says the run could not finish its job (README, exit codes).
 */
async function finish(projectDir: string, report: Report, secrets: string[], opts: SendOptions, env: NodeJS.ProcessEnv, progress: Progress): Promise<number> {
  // Loaded only by a real run: the report writers bring markdown-it (report.html), which a dry run never needs.
  const [{ writeReport }, { formatReportMarkdown, formatReportSummary, reportedNotifications, verdictOf }, { appendStepSummary, isGitHubActions }] = await Promise.all([import('../io/reports/write.js'), import('../core/report/index.js'), import('../review/stepSummary.js')]);
  // Each recipient's status, worked out once for every file, the step summary and the console (issue 9).
  const reported = reportedNotifications(report);
  const written = await writeReport(projectDir, report, secrets, reported).catch((e: unknown) => e as Error);
  if (isGitHubActions(env)) await appendStepSummary(formatReportMarkdown(report, reported), env);
  progress.stop();
  if (opts.json) out(JSON.stringify(report, null, 2));
  else out(formatReportSummary(report, written instanceof Error ? { reported } : { reported, dir: relative(resolve('.'), written.dir) || '.' }));
  if (written instanceof Error) {
    const why = fsUserError(written)?.message ?? written.message;
    log(`${pc.red('error')} the messages were sent, but the reports could not be written: ${why}`);
    log(`  ${pc.dim('hint:')} Every send is in the ledger (.dingcast/), so a new run will not send them twice; keep this output (or --json) as the run's record and make reports/ writable.`);
    return 2;
  }
  const verdict = verdictOf(report);
  if (verdict.code === 2) log(pc.red(`✖ ${verdict.reasons.join('; ')}. The report lists what was sent; run the same command again to send the rest.`));
  return verdict.code;
}

/**
 * `send --sandbox`'s DingTalk takes no more recipients per call than the project's `limits` say this
 * organisation's takes (they may only lower DingTalk's 100 / 20): a larger call meets 40032 there, as it would.
 */
export function inProcessSandbox(limits: Project['config']['limits']): { useridsPerCall: number; deptIdsPerCall: number } {
  return { useridsPerCall: limits.useridsPerCall, deptIdsPerCall: limits.deptIdsPerCall };
}

/** Before any intent is recorded: a wrong key/secret or an unreachable endpoint is a run that could not start (exit 2). */
async function checkCredentials(client: DingTalkClient, creds: Credentials): Promise<void> {
  try {
    await client.checkCredentials();
  } catch (e) {
    await client.close();
    const hint = credentialsHint(creds);
    if (e instanceof DingTalkError) throw new UserError(`DingTalk refused the app credentials (errcode ${e.errcode} ${e.errmsg}); nothing was sent`, hint);
    if (e instanceof TransportError) throw new UserError(`cannot reach ${creds.baseUrl}: ${e.message}; nothing was sent`, 'Check the network and DINGTALK_BASE_URL.');
    throw e;
  }
}
