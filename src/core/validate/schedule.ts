import { Cron } from 'croner';
import { coveredYears, type CalendarSet } from '../schedule/index.js';
import { isValidTimeZone } from '../zones.js';

export interface ScheduleProblem {
  field: 'schedule' | 'timezone' | 'calendar';
  code: string;
  message: string;
  hint: string;
  /** Unset = error. Warnings are only produced when the caller passes a ScheduleContext. */
  severity?: 'warning';
}

/** The calendar data (read at the edge: shipped `calendars/` plus the project's own) and the time to judge coverage at. */
export interface ScheduleContext {
  calendars: CalendarSet;
  now: Date;
}

/** A calendar's data should reach this far ahead, so the warning comes before the fallback happens. */
const COVERAGE_LOOKAHEAD_MS = 31 * 86_400_000;

export const KNOWN_CALENDARS = ['cn-workdays'];

// croner's field names, the words people know, the allowed values and the position in a 5-field expression.
const CRON_FIELDS: Record<string, { name: string; range: string; index: number }> = {
  minute: { name: 'minute', range: '0-59', index: 0 },
  hour: { name: 'hour', range: '0-23', index: 1 },
  day: { name: 'day-of-month', range: '1-31', index: 2 },
  month: { name: 'month', range: '1-12 or JAN-DEC', index: 3 },
  dayOfWeek: { name: 'day-of-week', range: '0-7 or SUN-SAT, 0 and 7 are Sunday', index: 4 },
};

/**
 * croner's "CronPattern: Invalid value for minute: 61" in plain words: which field, what the user wrote there
 * (croner counts days and months from 0, so its value would be off by one), and what it may hold.
 */
export function plainCronError(message: string, schedule: string): string {
  const text = message.replace(/^CronPattern:\s*/, '');
  const field = CRON_FIELDS[/^Invalid value for (\w+)/.exec(text)?.[1] ?? ''];
  if (field) return `the ${field.name} field \`${schedule.trim().split(/\s+/)[field.index] ?? ''}\` is out of range (${field.range})`;
  return `not a valid cron expression (${text.charAt(0).toLowerCase()}${text.slice(1).replace(/\.$/, '')})`;
}

export function checkSchedule(schedule: string | undefined, timezone: string, calendar: string | undefined, ctx?: ScheduleContext): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!isValidTimeZone(timezone)) {
    problems.push({ field: 'timezone', code: 'schedule/bad-timezone', message: `\`${timezone}\` is not an IANA time zone`, hint: 'Use a zone name such as Asia/Shanghai or America/New_York.' });
  }
  if (schedule !== undefined) {
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 5) {
      const seconds = fields.length === 6 ? '; drop the seconds field' : '';
      problems.push({ field: 'schedule', code: 'schedule/bad-cron', message: `schedule \`${schedule}\` has ${fields.length} fields: dingcast uses 5-field cron (minute hour day-of-month month day-of-week)${seconds}`, hint: 'For example "0 9 * * 1-5" is 09:00 on weekdays.' });
    } else {
      try {
        new Cron(schedule, { paused: true, timezone: isValidTimeZone(timezone) ? timezone : 'UTC' });
      } catch (e) {
        problems.push({ field: 'schedule', code: 'schedule/bad-cron', message: `schedule \`${schedule}\`: ${plainCronError((e as Error).message, schedule)}`, hint: 'Five fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7).' });
      }
    }
  }
  const known = ctx ? [...new Set([...KNOWN_CALENDARS, ...ctx.calendars.keys()])].sort() : KNOWN_CALENDARS;
  if (calendar !== undefined && !known.includes(calendar)) {
    problems.push({ field: 'calendar', code: 'schedule/unknown-calendar', message: `unknown calendar \`${calendar}\``, hint: `Known calendars: ${known.join(', ')}; a project adds its own as calendars/<name>.json.` });
  }
  if (ctx && calendar !== undefined && schedule !== undefined && isValidTimeZone(timezone)) problems.push(...checkCalendarCoverage(calendar, timezone, ctx));
  if (calendar !== undefined && schedule === undefined) {
    problems.push({ field: 'calendar', code: 'schedule/calendar-without-schedule', message: '`calendar` has no effect without a `schedule`', hint: 'Add a schedule such as "0 9 * * 1-5", or remove calendar.' });
  }
  return problems;
}

/**
 * Warn while there is still time: when the calendar has no data for this year or for the year a month from now,
 * those dates fall back to the plain cron (no holidays skipped, no make-up workdays).
 */
export function checkCalendarCoverage(name: string, timezone: string, ctx: ScheduleContext): ScheduleProblem[] {
  const data = ctx.calendars.get(name);
  if (!data) return [];
  const covered = coveredYears(data);
  const yearAt = (d: Date) => Number(new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric' }).format(d));
  const needed = [...new Set([yearAt(ctx.now), yearAt(new Date(ctx.now.getTime() + COVERAGE_LOOKAHEAD_MS))])];
  const missing = needed.filter((y) => !covered.includes(y));
  if (missing.length === 0) return [];
  return [
    {
      field: 'calendar',
      code: 'schedule/calendar-not-covered',
      severity: 'warning',
      message: `calendar \`${name}\` has no data for ${missing.join(', ')} (it covers ${covered.join(', ') || 'no year'}); on those dates the schedule runs on plain weekdays, without holidays or make-up workdays`,
      hint: `When the year's holiday notice is out, add it to calendars/${name}.json in the project (same format as dingcast's) or update dingcast.`,
    },
  ];
}
