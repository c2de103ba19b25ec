/** Calendar fields of an instant in a time zone, via Intl (no clock, no locale surprises). */
interface ZonedParts {
  YYYY: string;
  MM: string;
  DD: string;
  HH: string;
  mm: string;
  ss: string;
}

// Building an Intl.DateTimeFormat costs tens of microseconds; one per zone is enough.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timezone, f);
  }
  return f;
}

// formatToParts costs ~50 µs; a batch of renders formats the same instant (`@now`) again and again.
let lastParts: { ms: number; timezone: string; parts: ZonedParts } | undefined;

/** Throws RangeError for an unknown zone. */
export function zonedParts(date: Date, timezone: string): ZonedParts {
  const ms = date.getTime();
  if (lastParts && lastParts.ms === ms && lastParts.timezone === timezone) return lastParts.parts;
  const out: ZonedParts = { YYYY: '', MM: '', DD: '', HH: '', mm: '', ss: '' };
  for (const p of formatterFor(timezone).formatToParts(date)) {
    if (p.type === 'year') out.YYYY = p.value.padStart(4, '0');
    else if (p.type === 'month') out.MM = p.value;
    else if (p.type === 'day') out.DD = p.value;
    else if (p.type === 'hour') out.HH = p.value;
    else if (p.type === 'minute') out.mm = p.value;
    else if (p.type === 'second') out.ss = p.value;
  }
  lastParts = { ms, timezone, parts: out };
  return out;
}

export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DD HH:mm';

export function formatDate(date: Date, timezone: string, format: string): string {
  const parts = zonedParts(date, timezone);
  return format.replace(/YYYY|MM|DD|HH|mm|ss/g, (token) => parts[token as keyof ZonedParts]);
}

// Renders in a loop share one `now`; remember the last answer instead of asking Intl each time.
let lastToday = { ms: Number.NaN, timezone: '', value: '' };

export function todayIn(now: Date, timezone: string): string {
  const ms = now.getTime();
  if (ms !== lastToday.ms || timezone !== lastToday.timezone) {
    lastToday = { ms, timezone, value: formatDate(now, timezone, 'YYYY-MM-DD') };
  }
  return lastToday.value;
}

// `new Date(text)` accepts almost anything ("foo 2" is 2001); only ISO 8601 dates and times are dates here.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A date value from variables: a Date, epoch milliseconds, or ISO 8601 text. */
export function toDate(value: unknown): Date | undefined {
  const text = typeof value === 'string' && ISO_8601.test(value) ? value : undefined;
  const d = value instanceof Date ? value : typeof value === 'number' ? new Date(value) : text !== undefined ? new Date(text) : undefined;
  return d && Number.isFinite(d.getTime()) ? d : undefined;
}
