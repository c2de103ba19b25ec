import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCalendar, type CalendarSet } from '../../src/core/schedule/index.js';

/** The shipped calendars, read the way the CLI edge reads them. */
export function shippedCalendars(): CalendarSet {
  const file = fileURLToPath(new URL('../../calendars/cn-workdays.json', import.meta.url));
  const { calendar, problems } = parseCalendar('cn-workdays', 'calendars/cn-workdays.json', readFileSync(file, 'utf8'));
  if (!calendar) throw new Error(problems.join('\n'));
  return new Map([['cn-workdays', calendar]]);
}
