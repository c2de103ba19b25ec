import type { CalendarData, CalendarYear } from './types.js';

export const CALENDAR_FORMAT = 'dingcast.calendar/v1';

export type DayRule = 'holiday' | 'workday' | 'plain' | 'uncovered';

/** How a calendar treats a date: a statutory day off, a make-up workday, an ordinary day, or a year it has no data for. */
export function dayRule(calendar: CalendarData, day: string): DayRule {
  const year = calendar.years.get(Number(day.slice(0, 4)));
  if (!year) return 'uncovered';
  if (year.holidays.includes(day)) return 'holiday';
  if (year.workdays.includes(day)) return 'workday';
  return 'plain';
}

export function coveredYears(calendar: CalendarData): number[] {
  return [...calendar.years.keys()].sort((a, b) => a - b);
}

/**
 * Parse a calendar file's JSON text. Every problem is returned (the file is then unusable), so a hand-edited
 * project calendar fails loudly instead of silently skipping or firing on the wrong days.
 */
export function parseCalendar(name: string, file: string, text: string): { calendar?: CalendarData; problems: string[] } {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problems: [`${file}: not JSON: ${(e as Error).message}`] };
  }
  if (!isObject(raw)) return { problems: [`${file}: must be a JSON object`] };
  if (raw.format !== CALENDAR_FORMAT) problems.push(`${file}: \`format\` must be "${CALENDAR_FORMAT}"`);
  if (raw.name !== undefined && raw.name !== name) problems.push(`${file}: \`name\` is ${JSON.stringify(raw.name)} but the file name says "${name}"`);
  if (!isObject(raw.years)) return { problems: [...problems, `${file}: \`years\` must be an object keyed by year`] };
  const years = new Map<number, CalendarYear>();
  for (const [key, value] of Object.entries(raw.years)) {
    const at = `${file}: years.${key}`;
    if (!/^\d{4}$/.test(key)) {
      problems.push(`${at}: the key must be a four-digit year`);
      continue;
    }
    if (!isObject(value) || typeof value.source !== 'string' || value.source.trim() === '') {
      problems.push(`${at}: needs a \`source\` (where the dates come from)`);
      continue;
    }
    const holidays = dateList(value.holidays, key, `${at}.holidays`, problems);
    const workdays = dateList(value.workdays, key, `${at}.workdays`, problems);
    for (const d of workdays) if (holidays.includes(d)) problems.push(`${at}: ${d} is both a holiday and a workday`);
    years.set(Number(key), { source: value.source, holidays, workdays });
  }
  if (problems.length > 0) return { problems };
  return { calendar: { name, description: typeof raw.description === 'string' ? raw.description : '', years }, problems };
}

function dateList(value: unknown, year: string, at: string, problems: string[]): string[] {
  if (!Array.isArray(value)) {
    problems.push(`${at}: must be a list of YYYY-MM-DD dates`);
    return [];
  }
  const out: string[] = [];
  for (const d of value) {
    if (typeof d !== 'string' || !isRealDate(d)) problems.push(`${at}: \`${String(d)}\` is not a YYYY-MM-DD date`);
    else if (!d.startsWith(`${year}-`)) problems.push(`${at}: ${d} is not in ${year}`);
    else out.push(d);
  }
  return out;
}

function isRealDate(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
