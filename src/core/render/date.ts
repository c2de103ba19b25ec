import { pad, wallFields } from '../zones.js';

/** Calendar fields of an instant in a time zone, via Intl (no clock, no locale surprises). */
interface ZonedParts {
  YYYY: string;
  MM: string;
  DD: string;
  HH: string;
  mm: string;
  ss: string;
}

/** Throws RangeError for an unknown zone. */
export function zonedParts(date: Date, timezone: string): ZonedParts {
  const f = wallFields(date, timezone);
  return { YYYY: pad(f.y, 4), MM: pad(f.mo), DD: pad(f.d), HH: pad(f.h), mm: pad(f.mi), ss: pad(f.s) };
}

export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DD HH:mm';

export function formatDate(date: Date, timezone: string, format: string): string {
  const parts = zonedParts(date, timezone);
  return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => parts[token as keyof ZonedParts]);
}

export function todayIn(now: Date, timezone: string): string {
  return formatDate(now, timezone, 'YYYY-MM-DD');
}

// `new Date(text)` accepts almost anything ("foo 2" is 2001); only ISO 8601 dates and times are dates here.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date value from variables: a Date, epoch milliseconds, or ISO 8601 text. */
export function toDate(value: unknown): Date | undefined {
  const text = typeof value === 'string' && ISO_8601.test(value) ? value : undefined;
  const d = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : text !== undefined ? new Date(text) : undefined;
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}
