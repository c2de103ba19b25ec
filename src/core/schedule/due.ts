import { coveredYears } from './calendar.js';
import { compileSchedule, firingsBetween, latestFiring, type CompiledSchedule } from './occurrences.js';
import type { CalendarSet, ScheduledNotification, ScheduleNote } from './types.js';
import { formatSlot } from './zoned.js';

/**
 * With no ledger entry for a notification (a fresh project, a new notification, a stateless CI runner), only
 * firings this recent count. Small on purpose: a notification added at 15:00 must not fire its 09:00 slot, and a
 * runner that keeps no ledger must not re-fire one slot on every tick. `--window` widens it.
 */
export const DEFAULT_WINDOW_MS = 15 * 60_000;
/** Missed firings counted one by one up to this many; beyond it the report says "at least". */
export const MAX_COUNTED = 500;

export interface DueInput {
  notifications: readonly ScheduledNotification[];
  /** The project's zone, for notifications without their own. */
  timezone: string;
  /** The latest slot already fired per notification id (from the ledger). */
  lastFired: ReadonlyMap<string, string>;
  now: Date;
  /** Look-back for notifications the ledger has never fired; default DEFAULT_WINDOW_MS. */
  windowMs?: number;
  calendars: CalendarSet;
}

export interface DueSlot {
  id: string;
  /** The latest firing in (last fired, now], as local time with offset: the value of `@slot`. */
  slot: string;
  /** Earlier firings in the same range, collapsed into this one send. */
  missed: number;
  /** True when `missed` is a lower bound (MAX_COUNTED reached). */
  missedAtLeast?: boolean;
}

export interface DueResult {
  due: DueSlot[];
  notes: ScheduleNote[];
}

/**
 * Which notifications are due now, and for which slot. A notification is due when its schedule (with its
 * calendar) fires in (its last fired slot, now]; several such firings send once, for the latest.
 */
export function dueSlots(input: DueInput): DueResult {
  const due: DueSlot[] = [];
  const notes: ScheduleNote[] = [];
  const windowMs = input.windowMs ?? DEFAULT_WINDOW_MS;
  for (const n of input.notifications) {
    if (!n.enabled || n.schedule === undefined) continue;
    const c = compileFor(n, input.timezone, input.calendars, notes);
    if (!c) continue;
    let from = new Date(input.now.getTime() - windowMs);
    const last = input.lastFired.get(n.id);
    if (last !== undefined) {
      const t = new Date(last);
      if (Number.isNaN(t.getTime())) notes.push({ id: n.id, code: 'schedule/bad-last-slot', message: `${n.id}: the ledger's last slot \`${last}\` is not a time; using the window instead` });
      else from = t;
    }
    if (from >= input.now) continue;
    const { list, truncated } = firingsBetween(c, from, input.now, MAX_COUNTED + 1);
    const latest = truncated ? latestFiring(c, from, input.now) : list.at(-1);
    if (latest) {
      const slot: DueSlot = { id: n.id, slot: formatSlot(latest, c.timezone), missed: truncated ? MAX_COUNTED : list.length - 1 };
      if (truncated) slot.missedAtLeast = true;
      due.push(slot);
    }
    notes.push(...fallbackNotes(n, c));
  }
  return { due, notes };
}

/** The next `count` firings after `now`, as slots. */
export function nextFireTimes(n: ScheduledNotification, now: Date, count: number, ctx: { timezone: string; calendars: CalendarSet }): { times: string[]; notes: ScheduleNote[] } {
  const notes: ScheduleNote[] = [];
  if (n.schedule === undefined) return { times: [], notes };
  const c = compileFor(n, ctx.timezone, ctx.calendars, notes);
  if (!c) return { times: [], notes };
  const times: string[] = [];
  const { list } = firingsBetween(c, now, new Date(8.64e15), count);
  for (const r of list) times.push(formatSlot(r, c.timezone));
  return { times, notes: [...notes, ...fallbackNotes(n, c)] };
}

function compileFor(n: ScheduledNotification, projectZone: string, calendars: CalendarSet, notes: ScheduleNote[]): CompiledSchedule | undefined {
  const calendar = n.calendar !== undefined ? calendars.get(n.calendar) : undefined;
  if (n.calendar !== undefined && !calendar) {
    notes.push({ id: n.id, code: 'schedule/calendar-missing', message: `${n.id}: calendar \`${n.calendar}\` is not available; scheduling on plain weekdays` });
  }
  try {
    return compileSchedule(n.schedule ?? '', n.timezone ?? projectZone, calendar);
  } catch (e) {
    notes.push({ id: n.id, code: 'schedule/unusable', message: `${n.id}: schedule \`${n.schedule}\` cannot be used: ${(e as Error).message} (see \`dingcast validate\`)` });
    return undefined;
  }
}

function fallbackNotes(n: ScheduledNotification, c: CompiledSchedule): ScheduleNote[] {
  if (!c.calendar || c.uncovered.size === 0) return [];
  const years = [...c.uncovered].sort();
  const covered = coveredYears(c.calendar);
  return [
    {
      id: n.id,
      code: 'schedule/calendar-fallback',
      message: `${n.id}: calendar \`${c.calendar.name}\` has no data for ${years.join(', ')} (it covers ${covered.join(', ') || 'no year'}); those dates follow the plain cron (weekdays), without holidays or make-up workdays`,
    },
  ];
}

export { parseDuration } from '../duration.js';
