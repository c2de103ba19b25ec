import { Cron } from 'croner';

export interface ScheduleProblem {
  field: 'schedule' | 'timezone' | 'calendar';
  code: string;
  message: string;
  hint: string;
}

export const KNOWN_CALENDARS = ['cn-workdays'];

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function checkSchedule(schedule: string | undefined, timezone: string, calendar: string | undefined): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  if (!isValidTimeZone(timezone)) {
    problems.push({ field: 'timezone', code: 'schedule/bad-timezone', message: `\`${timezone}\` is not an IANA time zone`, hint: 'Use a zone name such as Asia/Shanghai or America/New_York.' });
  }
  if (schedule !== undefined) {
    const fields = schedule.trim().split(/\s+/);
    if (fields.length !== 5) {
      problems.push({ field: 'schedule', code: 'schedule/bad-cron', message: `schedule \`${schedule}\` has ${fields.length} fields; dingcast takes 5 (minute hour day-of-month month day-of-week)`, hint: 'For example "0 9 * * 1-5" is 09:00 on weekdays.' });
    } else {
      try {
        new Cron(schedule, { paused: true, timezone: isValidTimeZone(timezone) ? timezone : 'UTC' });
      } catch (e) {
        problems.push({ field: 'schedule', code: 'schedule/bad-cron', message: `schedule \`${schedule}\` is not a valid cron expression: ${(e as Error).message}`, hint: 'Five fields: minute (0-59) hour (0-23) day-of-month (1-31) month (1-12) day-of-week (0-7).' });
      }
    }
  }
  if (calendar !== undefined && !KNOWN_CALENDARS.includes(calendar)) {
    problems.push({ field: 'calendar', code: 'schedule/unknown-calendar', message: `unknown calendar \`${calendar}\``, hint: `Known calendars: ${KNOWN_CALENDARS.join(', ')}.` });
  }
  if (calendar !== undefined && schedule === undefined) {
    problems.push({ field: 'calendar', code: 'schedule/calendar-without-schedule', message: '`calendar` has no effect without a `schedule`', hint: 'Add a schedule such as "0 9 * * 1-5", or remove calendar.' });
  }
  return problems;
}
