import pc from 'picocolors';
import type { Project } from '../core/project.js';
import { dayIn } from '../core/send/day.js';
import { ledgerView, type DeliveryRecord } from '../core/send/ledgerView.js';
import { planSend } from '../core/send/plan.js';
import type { LedgerRecord } from '../core/send/records.js';
import { reminderDef, reminderIdentity, reminderOccurrence, reminderPreviews, selectReminders, unreadOf, type ReminderPreview, type RemindSelection } from '../core/send/remind.js';
import type { Plan, PlannedNotification } from '../core/send/types.js';
import { UserError } from '../errors.js';
import { callError } from '../io/apply.js';
import { meterClient } from '../io/meter.js';
import type { StateStore } from '../io/state/index.js';
import { recordCalls } from './countCalls.js';
import type { Credentials } from './credentials.js';
import { log } from './output.js';

/** Which reminders to look at: the project, the ledger as this run read it, the clock. */
export interface ReminderScope {
  project: Project;
  records: readonly LedgerRecord[];
  store: StateStore;
  now: Date;
  /** Only these notifications (`send --due ID…`). */
  ids: readonly string[];
  /** `dingcast remind RUN [--after 2h]`. */
  run?: string;
  afterMs?: number;
  /** `send --plan F`: only the reminders F was saved with (notification and reminded run). */
  only?: readonly { notification: string; run: string }[];
}

export interface ReminderRun extends ReminderScope {
  creds: Credentials;
  timeoutMs: number;
  runId: string;
}

/** The reminders due now (pure selection over the ledger); `remind RUN` with nothing to look at is an error. */
async function selectDueReminders(r: ReminderScope): Promise<{ selection: RemindSelection; deliveries: DeliveryRecord[] }> {
  const records = await recordsSinceYesterday(r);
  const deliveries = ledgerView(records).deliveries;
  const ids = r.only ? [...new Set(r.only.map((o) => o.notification))] : r.ids;
  const selection = selectReminders({ project: r.project, records, deliveries, now: r.now, ...(ids.length > 0 ? { ids } : {}), ...(r.run !== undefined ? { run: r.run } : {}), ...(r.afterMs !== undefined ? { afterMs: r.afterMs } : {}) });
  if (r.run !== undefined && selection.ask.length + selection.owed.length + selection.notes.length === 0) throw nothingToRemind(r.run, deliveries, r.project);
  return { selection: r.only ? onlySaved(selection, r.only) : selection, deliveries };
}

/** A saved plan's reminders that are still to send now; the others are said (not due any more, done, or not yet). */
function onlySaved(selection: RemindSelection, only: readonly { notification: string; run: string }[]): RemindSelection {
  const named = (x: { notification: string; run: string }) => only.some((o) => o.notification === x.notification && o.run === x.run);
  const ask = selection.ask.filter(named);
  const owed = selection.owed.filter(named);
  const notes = only.filter((o) => !ask.some((a) => a.notification === o.notification && a.run === o.run) && !owed.some((a) => a.notification === o.notification && a.run === o.run)).map((o) => `${o.notification} of run ${o.run}: saved in the plan, but nothing to remind now (already reminded, not due, or past DingTalk's 24 hours)`);
  return { ask, owed, later: [], notes };
}

/** A dry run's reminders: who each one is for and what it costs, with nothing asked of DingTalk and nothing recorded. */
export async function previewReminders(r: ReminderScope): Promise<{ previews: ReminderPreview[]; notes: string[] }> {
  const { selection } = await selectDueReminders(r);
  // A reminder not due yet is shown with its time; the note saying so would repeat it.
  const later = selection.later.map((l) => `${l.notification} of run ${l.run}:`);
  return { previews: reminderPreviews(selection, r.project, r.afterMs), notes: selection.notes.filter((n) => !later.some((l) => n.startsWith(l))) };
}

/**
 * The reminders due now, planned, added to the run's plan. For each one not decided yet: getsendresult of the
 * reminded run's tasks says who is still unread, and a `remind` record says so in the ledger before any reminder
 * is sent (under the run lock, so a second runner waiting for it sees the record and sends nothing). A reminder
 * decided by an earlier run that died goes to the people it still owes. `lookups`: the getsendresult calls made to
 * decide (each try; metered, so the run's cost counts them, as a dry run's estimate does).
 */
export async function withReminders(plan: Plan, r: ReminderRun): Promise<{ plan: Plan; lookups: number }> {
  const { selection, deliveries } = await selectDueReminders(r);
  for (const note of selection.notes) log(note);
  const { audiences, lookups } = await decide(selection, r);
  const added: PlannedNotification[] = [];
  for (const a of audiences) {
    const n = r.project.notifications.find((x) => x.id === a.notification);
    const template = n?.remind ? r.project.templates.get(n.remind.templateId) : undefined;
    if (!n || !template) continue;
    if (a.unread.length === 0) {
      log(`remind: ${n.id} of run ${a.run}: nobody left unread (${a.read} read); no reminder`);
      continue;
    }
    const def = reminderDef(n, a.unread);
    const planned = planSend({
      project: { ...r.project, notifications: [def] },
      ids: [def.id],
      now: r.now,
      runId: r.runId,
      ledger: { deliveries },
      force: false,
      fingerprint: plan.fingerprint,
      occurrences: { [def.id]: { occurrence: reminderOccurrence(a.run), identity: reminderIdentity(n, a.run, template) } },
    });
    const reminder = planned.notifications[0];
    if (!reminder) continue;
    log(`remind: ${n.id} of run ${a.run} → ${a.unread.length} still unread (${a.read} read)${a.owed ? ', owed since an earlier run stopped' : ''}`);
    added.push({ ...reminder, reminder: { notification: n.id, run: a.run, unread: a.unread.length, read: a.read } });
    plan.warnings.push(...planned.warnings);
  }
  if (added.length === 0) return { plan, lookups };
  const calls = added.reduce((s, n) => s + n.calls.length, 0);
  return {
    plan: {
      ...plan,
      notifications: [...plan.notifications, ...added],
      api_calls: { ...plan.api_calls, send: plan.api_calls.send + calls, follow_up: plan.api_calls.follow_up + calls, total: plan.api_calls.total + 2 * calls },
    },
    lookups,
  };
}

interface Audience {
  notification: string;
  run: string;
  unread: string[];
  read: number;
  owed?: true;
}

/** Ask DingTalk who is unread for each reminder not decided yet, and record the answer; the owed ones need no asking. */
async function decide(selection: RemindSelection, r: ReminderRun): Promise<{ audiences: Audience[]; lookups: number }> {
  const out: Audience[] = selection.owed.map((o) => ({ notification: o.notification, run: o.run, unread: o.users, read: 0, owed: true }));
  if (selection.ask.length === 0) return { audiences: out, lookups: 0 };
  const { createDingTalkClient } = await import('../io/dingtalk/index.js');
  // getsendresult is metered: its calls count towards the monthly quota, recorded under this run's lock.
  const meter = meterClient(createDingTalkClient({ baseUrl: r.creds.baseUrl, appKey: r.creds.appKey, appSecret: r.creds.appSecret, ...(r.creds.isv ? { isv: r.creds.isv } : {}), agentId: r.creds.agentId, timeoutMs: r.timeoutMs }));
  const client = meter.client;
  try {
    for (const ask of selection.ask) {
      const read: string[] = [];
      const unread: string[] = [];
      try {
        for (const t of ask.tasks) {
          const lists = unreadOf(t, (await client.getSendResult(t.task_id)).result);
          read.push(...lists.read);
          unread.push(...lists.unread);
        }
      } catch (e) {
        // Nothing recorded: the next tick asks again.
        log(pc.yellow(`warning: remind: cannot ask DingTalk who read ${ask.notification} of run ${ask.run} (${callError(e).errmsg}); no reminder this time`));
        continue;
      }
      // Someone in two departments, or in a department and in to.users, is reminded once.
      const once = [...new Set(unread)];
      const unreadSet = new Set(once);
      const readOnce = [...new Set(read)].filter((u) => !unreadSet.has(u));
      const n = r.project.notifications.find((x) => x.id === ask.notification);
      const template = n?.remind ? r.project.templates.get(n.remind.templateId) : undefined;
      await r.store.append({ type: 'remind', run: r.runId, of: ask.run, notification: ask.notification, template: template ? `${template.id}@${template.version}` : (n?.remind?.templateRef ?? ''), day: dayIn(r.now, r.project.config.timezone), unread: once, read: readOnce });
      out.push({ notification: ask.notification, run: ask.run, unread: once, read: readOnce.length });
    }
  } finally {
    await client.close();
    await recordCalls(r.store, { run: r.runId, app: String(r.creds.agentId), by: 'remind' }, meter);
  }
  return { audiences: out, lookups: meter.calls() };
}

/** The shared store reads one day's records; a reminder may be of yesterday's send (a file ledger returns everything). */
async function recordsSinceYesterday(r: ReminderScope): Promise<readonly LedgerRecord[]> {
  if (r.store.backend !== 'postgres') return r.records;
  const yesterday = dayIn(new Date(r.now.getTime() - 86_400_000), r.project.config.timezone);
  const earlier = await r.store.read({ day: yesterday });
  return [...earlier.records, ...r.records];
}


/** `remind RUN` found nothing to do: say whether the run is unknown here or sent nothing with `remind:`. */
function nothingToRemind(run: string, deliveries: readonly { run: string; notification: string }[], project: Project): UserError {
  const sent = new Set(deliveries.filter((d) => d.run === run).map((d) => d.notification));
  if (sent.size === 0) return new UserError(`run ${run} sent nothing this state knows of`, 'Give a run id from reports/ (`dingcast report` shows the latest); the state must be the one that run used (DINGCAST_STATE, --project).');
  const withRemind = project.notifications.filter((n) => n.remind !== undefined).map((n) => n.id);
  return new UserError(`run ${run} sent ${[...sent].join(', ')}, and none of them has \`remind:\``, withRemind.length > 0 ? `Notifications with a reminder: ${withRemind.join(', ')}.` : 'Add `remind: { after: 4h, template: ID@N }` to the notification (README: Unread reminders).');
}
