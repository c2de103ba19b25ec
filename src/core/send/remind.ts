import { hash } from 'node:crypto';
import type { NotificationDef, Project } from '../project.js';
import { MAX_DUE_ATTEMPTS } from './dueResends.js';
import type { DeliveryRecord } from './ledgerView.js';
import type { LedgerRecord, RemindEntry } from './records.js';

/**
 * Unread reminders (design.md §9, `remind: { after, template }`). A reminder of notification N for run R goes, once,
 * to the people of R's userid calls whom getsendresult still lists unread when it is due. Its ledger trail:
 * a `remind` record (who was unread, who had read) written before the reminder's first intent, then the usual
 * intents and answers under the notification `N:remind` and the occurrence `remind:R`. So a second runner sharing
 * the state, or the next tick, sees it was done; a run killed in between leaves the people it owes a reminder.
 */

/** DingTalk answers getsendresult for 24 hours after a send (dingtalk-api.md); a reminder after that cannot know who read. */
export const REMIND_WINDOW_MS = 24 * 3_600_000;

/** The id a reminder goes by in plans, reports and the ledger: `:` cannot appear in a notification id, so it never collides. */
export function reminderId(notification: string): string {
  return `${notification}:remind`;
}

export function reminderOccurrence(run: string): string {
  return `remind:${run}`;
}

/** When a run was made: its run id says (`20261202T090000Z-…`, from the run's clock, `--at` included). */
export function runTime(run: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(run);
  if (!m) return undefined;
  const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/**
 * One task of a reminded run: the userids it was sent to, and the departments (or `all`) in it. A task with
 * departments was to at most 100 people (validate: checkRemindReach), so getsendresult names every one of them.
 */
export interface RemindTask {
  task_id: number;
  users: string[];
  departments: string[];
}

/** A reminder to ask DingTalk about: R's tasks of N. */
export interface ReminderToAsk {
  notification: string;
  run: string;
  sentAt: Date;
  tasks: RemindTask[];
}

/** A reminder already decided (its `remind` record is in the ledger) that still owes these people a message. */
export interface ReminderOwed {
  notification: string;
  run: string;
  users: string[];
}

/** A reminder within DingTalk's 24 hours whose `after` has not passed yet. */
export interface ReminderLater {
  notification: string;
  run: string;
  sentAt: Date;
  dueAt: Date;
  users: string[];
  departments: string[];
  /** getsendresult calls it will take: one per task. */
  asks: number;
  /** Of them, the tasks to departments (or everyone). */
  departmentTasks: number;
}

export interface RemindSelection {
  ask: ReminderToAsk[];
  owed: ReminderOwed[];
  later: ReminderLater[];
  /** What was looked at and left, for the log ("approval of run X: due in 1h20m"). */
  notes: string[];
}

export interface RemindQuery {
  project: Project;
  records: readonly LedgerRecord[];
  deliveries: readonly DeliveryRecord[];
  now: Date;
  /** Only these notifications (the ids `send --due` was given, or those of `remind RUN`). */
  ids?: readonly string[];
  /** `dingcast remind RUN`: that run, whether or not it is the notification's latest; else each notification's latest. */
  run?: string;
  /** `dingcast remind RUN --after 2h`: this in place of each notification's `remind.after` (by hand: 0 unless given). */
  afterMs?: number;
}

/** getsendresult answers for tasks of at most this many recipients (dingtalk-api.md: RESULT; larger ones time out). */
export const RESULT_MAX_RECIPIENTS = 100;

/** Which reminders are due now: pure, from the ledger and the clock. */
export function selectReminders(q: RemindQuery): RemindSelection {
  const ask: ReminderToAsk[] = [];
  const owed: ReminderOwed[] = [];
  const later: ReminderLater[] = [];
  const notes: string[] = [];
  const decided = remindRecords(q.records);
  for (const n of q.project.notifications) {
    if (!n.remind || (q.ids && !q.ids.includes(n.id))) continue;
    const after = q.afterMs ?? n.remind.afterMs;
    if (after === undefined) continue;
    const runs = sentRuns(q.deliveries, n.id);
    // Each notification's latest send is the one reminded: a newer send supersedes an older one's reminder.
    const run = q.run ?? [...runs.keys()].sort().at(-1);
    if (run === undefined) continue;
    const tasks = runs.get(run);
    const sentAt = runTime(run);
    if (!tasks || !sentAt) continue;
    const record = decided.get(`${n.id}|${run}`);
    if (record) {
      const users = stillOwed(q.deliveries, n.id, run, record.unread);
      if (users.length > 0) owed.push({ notification: n.id, run, users });
      else if (q.run !== undefined) notes.push(`${n.id} of run ${run}: already reminded by run ${record.run} (${record.unread.length} unread then); nothing more to send`);
      continue;
    }
    const age = q.now.getTime() - sentAt.getTime();
    if (age >= REMIND_WINDOW_MS) {
      if (q.run !== undefined) notes.push(`${n.id} of run ${run}: sent more than 24 hours ago; DingTalk no longer says who has read it`);
      continue;
    }
    if (age < after) {
      later.push({ notification: n.id, run, sentAt, dueAt: new Date(sentAt.getTime() + after), users: [...tasks.values()].flatMap((t) => t.users), departments: [...tasks.values()].flatMap((t) => t.departments), asks: tasks.size, departmentTasks: [...tasks.values()].filter((t) => t.departments.length > 0).length });
      if (q.run !== undefined) notes.push(`${n.id} of run ${run}: not reminded yet, it was sent ${minutes(age)} ago (--after ${minutes(after)})`);
      continue;
    }
    ask.push({ notification: n.id, run, sentAt, tasks: [...tasks.values()] });
  }
  return { ask, owed, later, notes };
}

/**
 * What a dry run shows of each reminder (`send --due --dry-run`, `remind RUN --dry-run`): nothing is asked or sent.
 * `due`: getsendresult is asked when it is sent, and it goes to the unread among `users` (so `send` is at most);
 * `owed`: decided by an earlier run that stopped, exactly `users`; `later`: within 24 h, `after` not passed yet.
 */
export interface ReminderPreview {
  id: string;
  notification: string;
  run: string;
  template: string;
  state: 'due' | 'owed' | 'later';
  sent_at: string;
  due_at: string;
  users: string[];
  /** The departments (or `all`) the run was sent to: the unread among their people are reminded. */
  departments?: string[];
  calls: { getsendresult: number; send: number; follow_up: number };
}

/** The dry run's view of a selection: who each reminder is for and the calls it costs (pure). */
export function reminderPreviews(selection: RemindSelection, project: Project, afterMs?: number): ReminderPreview[] {
  const perCall = Math.max(1, project.config.limits.useridsPerCall);
  const out: ReminderPreview[] = [];
  const add = (notification: string, run: string, state: ReminderPreview['state'], users: string[], asks: number, departments: { tasks: number; ids: string[] }, dueAt?: Date): void => {
    const n = project.notifications.find((x) => x.id === notification);
    const sentAt = runTime(run);
    if (!n?.remind || !sentAt) return;
    // A department task reached at most 100 people (checkRemindReach): its unread are at most that many.
    // `each:`: one message per row, so at most one call per person (rows of identical content share one).
    const sends = n.each ? users.length : Math.ceil((users.length + departments.tasks * RESULT_MAX_RECIPIENTS) / perCall);
    const due = dueAt ?? new Date(sentAt.getTime() + (afterMs ?? n.remind.afterMs ?? 0));
    out.push({ id: reminderId(notification), notification, run, template: n.remind.templateRef, state, sent_at: sentAt.toISOString(), due_at: due.toISOString(), users, ...(departments.ids.length > 0 ? { departments: departments.ids } : {}), calls: { getsendresult: asks, send: sends, follow_up: sends } });
  };
  const deptsOf = (tasks: readonly RemindTask[]) => ({ tasks: tasks.filter((t) => t.departments.length > 0).length, ids: tasks.flatMap((t) => t.departments) });
  for (const a of selection.ask) add(a.notification, a.run, 'due', a.tasks.flatMap((t) => t.users), a.tasks.length, deptsOf(a.tasks));
  for (const o of selection.owed) add(o.notification, o.run, 'owed', o.users, 0, { tasks: 0, ids: [] });
  for (const l of selection.later) add(l.notification, l.run, 'later', l.users, l.asks, { tasks: l.departmentTasks, ids: l.departments });
  return out;
}

/** Everyone a reminder's record names who has no reminder yet (or whose attempt failed or got no answer). */
function stillOwed(deliveries: readonly DeliveryRecord[], notification: string, run: string, audience: readonly string[]): string[] {
  const id = reminderId(notification);
  const occurrence = reminderOccurrence(run);
  const attempts = new Map<string, DeliveryRecord[]>();
  for (const d of deliveries) {
    if (d.notification !== id || d.occurrence !== occurrence) continue;
    attempts.set(d.recipient, [...(attempts.get(d.recipient) ?? []), d]);
  }
  return audience.filter((u) => {
    const list = attempts.get(`user:${u}`) ?? [];
    if (list.some((d) => d.state === 'sent' || d.state === 'delivered' || d.state === 'invalid' || d.state === 'capped')) return false;
    return list.length < MAX_DUE_ATTEMPTS;
  });
}

/** Per run of notification `id` (reminders aside): task id → the userids and departments (`all`) of that call. */
function sentRuns(deliveries: readonly DeliveryRecord[], id: string): Map<string, Map<number, RemindTask>> {
  const runs = new Map<string, Map<number, RemindTask>>();
  for (const d of deliveries) {
    if (d.notification !== id || d.task_id === undefined) continue;
    let tasks = runs.get(d.run);
    if (!tasks) runs.set(d.run, (tasks = new Map<number, RemindTask>()));
    let task = tasks.get(d.task_id);
    if (!task) tasks.set(d.task_id, (task = { task_id: d.task_id, users: [], departments: [] }));
    if (d.recipient.startsWith('user:')) task.users.push(d.recipient.slice('user:'.length));
    else task.departments.push(d.recipient.startsWith('dept:') ? d.recipient.slice('dept:'.length) : d.recipient);
  }
  return runs;
}

/** The `remind` records by `notification|run` (the first one wins: a reminder is decided once). */
export function remindRecords(records: readonly LedgerRecord[]): Map<string, RemindEntry & { ts: string }> {
  const out = new Map<string, RemindEntry & { ts: string }>();
  for (const r of records) if (r.type === 'remind' && !out.has(`${r.notification}|${r.of}`)) out.set(`${r.notification}|${r.of}`, r);
  return out;
}

/**
 * The unread among a task's recipients, by getsendresult's lists: only the people the call was for; a call to
 * departments (or everyone) was for whoever DingTalk lists.
 */
export function unreadOf(task: Pick<RemindTask, 'users' | 'departments'>, result: { read_user_id_list: string[]; unread_user_id_list: string[] }): { read: string[]; unread: string[] } {
  if (task.departments.length > 0) return { read: [...new Set(result.read_user_id_list)], unread: [...new Set(result.unread_user_id_list)] };
  const unread = new Set(result.unread_user_id_list);
  const read = new Set(result.read_user_id_list);
  return { read: task.users.filter((u) => read.has(u)), unread: task.users.filter((u) => unread.has(u)) };
}

/**
 * The reminder as a notification of its own: the reminder template with N's variables, to `users`. Its identity is
 * N's reminder of run R, not who it goes to, so a run that starts again after a crash with fewer people unread
 * still sees who already has it.
 */
export function reminderDef(n: NotificationDef, users: string[]): NotificationDef {
  const r = n.remind as NonNullable<NotificationDef['remind']>;
  const def: NotificationDef = { id: reminderId(n.id), templateRef: r.templateRef, templateId: r.templateId, pin: r.pin, to: { users, departments: [], all: false }, vars: n.vars, varsFile: n.varsFile, schedule: undefined, timezone: n.timezone, calendar: undefined, enabled: true, description: n.description };
  // `each:`: each unread person gets the reminder rendered with their own row (its identity is per row: planEach).
  if (n.each) {
    const unread = new Set(users);
    def.each = { ...n.each, rows: n.each.rows.filter((row) => unread.has(row.userid)) };
  }
  return def;
}

export function reminderIdentity(n: NotificationDef, run: string, template: { id: string; version: number; source: { text: string } }): string {
  return hash('sha256', JSON.stringify({ reminder_of: n.id, run, template: `${template.id}@${template.version}`, source: template.source.text, vars: n.vars }), 'hex');
}

function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return m >= 60 ? `${Math.floor(m / 60)}h${m % 60 > 0 ? `${m % 60}m` : ''}` : `${m}m`;
}
