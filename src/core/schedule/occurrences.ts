import { Cron } from 'croner';
import { dayRule } from './calendar.js';
import type { CalendarData } from './types.js';
import { aroundStartOf, dayOf, weekdayOf } from './zoned.js';

/** A cron line ready to answer "when does it fire", with its workday calendar applied. */
export interface CompiledSchedule {
  timezone: string;
  cron: Cron;
  calendar: CalendarData | undefined;
  /** Make-up workdays this schedule gains (weekend days the cron itself skips), ascending. */
  makeupDays: string[];
  /** The cron's times with the day fields opened up: what a make-up workday fires at. */
  makeupCron: Cron | undefined;
  /** Years without calendar data that a question touched: the calendar fell back to plain weekdays there. */
  uncovered: Set<number>;
}

const SUNDAY_2026_01_04 = new Date('2026-01-03T23:59:00Z');

/** Throws croner's own error for a bad expression or zone (validation reports those before we get here). */
export function compileSchedule(schedule: string, timezone: string, calendar: CalendarData | undefined): CompiledSchedule {
  const cron = new Cron(schedule, { timezone, paused: true, mode: '5-part' });
  const f = schedule.trim().split(/\s+/);
  let makeupDays: string[] = [];
  let makeupCron: Cron | undefined;
  if (calendar && f.length === 5) {
    // Ask croner which weekdays the day-of-week field names, instead of parsing it ourselves.
    const dow = new Set(
      new Cron(`0 0 * * ${f[4]}`, { timezone: 'UTC', paused: true })
        .nextRuns(7, SUNDAY_2026_01_04)
        .map((d) => d.getUTCDay()),
    );
    // 调休 only matters to a schedule that means "working days": one whose weekdays include Monday to Friday.
    if (f[4] !== '*' && [1, 2, 3, 4, 5].every((d) => dow.has(d))) {
      makeupDays = [...calendar.years.values()]
        .flatMap((y) => y.workdays)
        .filter((d) => !dow.has(weekdayOf(d)))
        .sort();
      if (makeupDays.length > 0) makeupCron = new Cron(`${f[0]} ${f[1]} * ${f[3]} *`, { timezone, paused: true, mode: '5-part' });
    }
  }
  return { timezone, cron, calendar, makeupDays, makeupCron, uncovered: new Set() };
}

/** The first cron occurrence after `after` that the calendar keeps (holidays are skipped). */
function nextBase(c: CompiledSchedule, after: Date): Date | undefined {
  let r = c.cron.nextRun(after);
  while (r) {
    if (!c.calendar) return r;
    const rule = dayRule(c.calendar, dayOf(r, c.timezone));
    if (rule === 'uncovered') c.uncovered.add(Number(dayOf(r, c.timezone).slice(0, 4)));
    if (rule !== 'holiday') return r;
    r = c.cron.nextRun(r);
  }
  return undefined;
}

/** The first make-up-workday firing after `after`. */
function nextMakeup(c: CompiledSchedule, after: Date): Date | undefined {
  if (!c.makeupCron) return undefined;
  const today = dayOf(after, c.timezone);
  for (const day of c.makeupDays) {
    if (day < today) continue;
    const start = aroundStartOf(day, c.timezone);
    let r = c.makeupCron.nextRun(start > after ? start : after);
    while (r && dayOf(r, c.timezone) < day) r = c.makeupCron.nextRun(r);
    if (r && dayOf(r, c.timezone) === day) return r;
  }
  return undefined;
}

/** Every firing after `after`, ascending: the cron's own (minus holidays) merged with make-up workdays. */
export function* firingsAfter(c: CompiledSchedule, after: Date): Generator<Date> {
  let base = nextBase(c, after);
  let extra = nextMakeup(c, after);
  while (base || extra) {
    if (base && extra && base.getTime() === extra.getTime()) extra = nextMakeup(c, extra);
    if (extra && (!base || extra < base)) {
      yield extra;
      extra = nextMakeup(c, extra);
    } else if (base) {
      yield base;
      base = nextBase(c, base);
    }
  }
}

/** Firings in (after, until], at most `limit` of them (croner takes ~0.2 ms per step, so long gaps are capped). */
export function firingsBetween(c: CompiledSchedule, after: Date, until: Date, limit: number): { list: Date[]; truncated: boolean } {
  const list: Date[] = [];
  for (const r of firingsAfter(c, after)) {
    if (r > until) return { list, truncated: false };
    if (list.length === limit) return { list, truncated: true };
    list.push(r);
  }
  return { list, truncated: false };
}

/** The latest firing in (after, until], searching backwards so a minutely cron after a month away stays cheap. */
export function latestFiring(c: CompiledSchedule, after: Date, until: Date): Date | undefined {
  let best: Date | undefined;
  let ref = new Date(until.getTime() + 1);
  search: for (;;) {
    const batch = c.cron.previousRuns(50, ref);
    if (batch.length === 0) break;
    for (const r of batch) {
      if (r <= after) break search;
      const day = dayOf(r, c.timezone);
      const rule = c.calendar ? dayRule(c.calendar, day) : 'plain';
      if (rule === 'uncovered') c.uncovered.add(Number(day.slice(0, 4)));
      if (rule !== 'holiday') {
        best = r;
        break search;
      }
      ref = r;
    }
  }
  if (c.makeupCron) {
    const first = dayOf(after, c.timezone);
    const last = dayOf(until, c.timezone);
    for (const day of [...c.makeupDays].reverse()) {
      if (day > last) continue;
      if (day < first || (best && day < dayOf(best, c.timezone))) break;
      const r = lastOnDay(c, day, until);
      if (r && r > after) {
        if (!best || r > best) best = r;
        break;
      }
    }
  }
  return best;
}

function lastOnDay(c: CompiledSchedule, day: string, until: Date): Date | undefined {
  let last: Date | undefined;
  let r = c.makeupCron?.nextRun(aroundStartOf(day, c.timezone));
  while (r && r <= until && dayOf(r, c.timezone) <= day) {
    if (dayOf(r, c.timezone) === day) last = r;
    r = c.makeupCron?.nextRun(r);
  }
  return last;
}
