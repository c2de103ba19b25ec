import { formatInZone } from '../core/time.js';
import pc from 'picocolors';
import type { Project } from '../core/project.js';
import { dueSlots, lastFiredSlots, nextFireTimes, parseDuration, type CalendarSet, type DueSlot, type ScheduleNote, type SlotRecord } from '../core/schedule/index.js';
import { dayIn } from '../core/send/day.js';
import { dueResends, MAX_DUE_ATTEMPTS } from '../core/send/dueResends.js';
import type { DeliveryRecord } from '../core/send/ledgerView.js';
import { checkSchedule, type ScheduleProblem } from '../core/validate/schedule.js';
import { UserError } from '../errors.js';
import { openState } from '../io/state/index.js';

import { targetOf } from './commands/options.js';
import { stateScope } from './stateScope.js';
import { readProjectFolder } from './loadFromDisk.js';
import { log, out } from './output.js';


export interface ScheduleOptions {
  json?: boolean;
  at?: Date;
  n: string;
  /** Read the slots that `send --due --sandbox` fired. */
  sandbox?: boolean;
}

/** `dingcast schedule`: each scheduled notification's next fire times and the last slot the ledger says it fired. */
export async function runSchedule(projectDir: string, opts: ScheduleOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.at ?? new Date();
  const count = Number(opts.n);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new UserError(`-n \`${opts.n}\` must be a whole number from 1 to 100`);
  const { project, calendars, calendarProblems: problems } = await readProjectFolder(projectDir, now);
  const store = await openState({ projectDir, target: targetOf(opts.sandbox, env), env, ...stateScope(project.config, opts.sandbox, env) });
  const lastFired = lastFiredSlots(await store.read({}).then((r) => r.records).finally(() => store.close()));
  const notes: ScheduleNote[] = [];
  const rows = project.notifications
    .filter((n) => n.schedule !== undefined)
    .map((n) => {
      const timezone = n.timezone ?? project.config.timezone;
      const checks = checkSchedule(n.schedule, timezone, n.calendar, { calendars, now });
      const errors = checks.filter((p) => p.severity !== 'warning');
      notes.push(...checks.map((p) => noteOf(n.id, p)));
      const next = errors.length > 0 ? { times: [], notes: [] } : nextFireTimes(n, now, count, { timezone: project.config.timezone, calendars });
      notes.push(...next.notes);
      return { id: n.id, schedule: n.schedule ?? '', timezone, calendar: n.calendar ?? null, enabled: n.enabled, next: next.times, last_fired: lastFired.get(n.id) ?? null, invalid: errors.length > 0 };
    });
  const bad = rows.some((r) => r.invalid) || problems.length > 0;
  if (opts.json) {
    out(JSON.stringify({ format: 'dingcast.schedule/v1', at: now.toISOString(), notifications: rows, notes: [...problems.map((message) => ({ id: null, code: 'calendar/invalid-file', message })), ...dedupe(notes)] }, null, 2));
  } else {
    if (rows.length === 0) out('no notification has a schedule');
    for (const r of rows) {
      out(`${pc.cyan(r.id)}  ${r.schedule}  (${r.timezone}${r.calendar ? `, ${r.calendar}` : ''})${r.enabled ? '' : pc.yellow('  disabled: `send --due` skips it')}`);
      out(`  next:       ${r.next.length > 0 ? r.next.join('\n              ') : pc.red('none (see `dingcast validate`)')}`);
      out(`  last fired: ${r.last_fired ?? 'never (no slot in .dingcast/ledger.jsonl)'}`);
    }
    printNotes(problems, dedupe(notes));
  }
  return bad ? 1 : 0;
}

export interface DueOptions {
  window?: string;
  plan?: string;
}

export interface DueSelection {
  ids: string[];
  slots: Record<string, string>;
  due: DueSlot[];
  /** Notifications re-sent for their latest fired slot: only these recipients (failed, rate-limited, answer lost). */
  only: Record<string, string[]>;
}

/**
 * `send --due`: which notifications fire now and for which slot, from the ledger's fired slots. Give it the
 * workspace read with the run lock held, so a run that waited for another sees the slots that run recorded.
 */
export function selectDue(project: Project, ids: string[], opts: DueOptions, now: Date, read: { records: readonly SlotRecord[]; calendars: CalendarSet; calendarProblems: string[] }, deliveries: readonly DeliveryRecord[] = []): DueSelection {
  if (opts.plan !== undefined) throw new UserError('--due cannot be combined with --plan', 'A saved plan already names its notifications and slots.');
  const windowMs = opts.window === undefined ? undefined : parseDuration(opts.window);
  if (opts.window !== undefined && (windowMs === undefined || windowMs <= 0)) throw new UserError(`--window \`${opts.window}\` is not a duration`, 'Write it like 15m, 1h, 90s or 1h30m.');
  const unknown = ids.filter((id) => !project.notifications.some((n) => n.id === id));
  if (unknown.length > 0) throw new UserError(`no notification named ${unknown.map((u) => `\`${u}\``).join(', ')}`, `Known notifications: ${project.notifications.map((n) => n.id).join(', ')}.`);
  const { calendars, calendarProblems: problems } = read;
  if (problems.length > 0) throw new UserError(`calendar file problems:\n  ${problems.join('\n  ')}`, 'Fix the calendar file; a broken calendar could fire on holidays or skip workdays.');
  const candidates = project.notifications.filter((n) => ids.length === 0 || ids.includes(n.id));
  const lastFired = lastFiredSlots(read.records);
  const result = dueSlots({ notifications: candidates, timezone: project.config.timezone, lastFired, now, calendars, ...(windowMs !== undefined ? { windowMs } : {}) });
  const notes = [...result.notes];
  for (const n of candidates) {
    if (n.schedule === undefined || !n.enabled) continue;
    notes.push(...checkSchedule(n.schedule, n.timezone ?? project.config.timezone, n.calendar, { calendars, now }).filter((p) => p.severity === 'warning').map((p) => noteOf(n.id, p)));
  }
  printNotes([], dedupe(notes));
  for (const d of result.due) {
    const collapsed = d.missed > 0 ? `; ${d.missedAtLeast ? 'at least ' : ''}${d.missed} earlier missed slot(s) collapsed into this one send` : '';
    log(`due: ${d.id} for slot ${d.slot}${collapsed}`);
  }
  // A slot that fired with recipients DingTalk failed, rate-limited or never answered for is owed to them; a
  // notification due again now sends its new slot instead (it supersedes the old one).
  const scheduled = new Set(candidates.filter((n) => n.schedule !== undefined && n.enabled).map((n) => n.id));
  const dueNow = new Set(result.due.map((d) => d.id));
  const owed = dueResends(deliveries, lastFired, dayIn(now, project.config.timezone)).filter((r) => scheduled.has(r.notification) && !dueNow.has(r.notification));
  for (const r of owed) {
    if (r.recipients.length > 0) log(`due: ${r.notification} re-sends slot ${r.slot} to ${r.recipients.length} recipient(s) DingTalk failed, rate-limited or did not answer for`);
    if (r.gaveUp.length > 0) log(pc.yellow(`warning: ${r.notification}: ${r.gaveUp.length} recipient(s) of slot ${r.slot} were tried ${MAX_DUE_ATTEMPTS} times; --due sends them no more (\`dingcast report\` shows why): ${r.gaveUp.slice(0, 5).map((k) => k.replace(/^user:/, '')).join(', ')}`));
  }
  const resend = owed.filter((r) => r.recipients.length > 0);
  if (result.due.length === 0 && resend.length === 0) log(`nothing due at ${formatInZone(now, project.config.timezone)} (${scheduled.size} scheduled notification(s) checked)`);
  return {
    ids: [...result.due.map((d) => d.id), ...resend.map((r) => r.notification)],
    slots: Object.fromEntries([...result.due.map((d): [string, string] => [d.id, d.slot]), ...resend.map((r): [string, string] => [r.notification, r.slot])]),
    due: result.due,
    only: Object.fromEntries(resend.map((r) => [r.notification, r.recipients])),
  };
}

function noteOf(id: string, p: ScheduleProblem): ScheduleNote {
  return { id, code: p.code, message: `${id}: ${p.message}` };
}

function dedupe(notes: ScheduleNote[]): ScheduleNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => (seen.has(n.message) ? false : (seen.add(n.message), true)));
}

function printNotes(problems: string[], notes: ScheduleNote[]): void {
  for (const p of problems) log(`${pc.red('error')} ${p}`);
  for (const n of notes) log(`${pc.yellow('warning')} ${n.message}`);
}
