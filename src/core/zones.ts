/**
 * Wall-clock fields of an instant in a time zone, through Intl (no clock, no locale surprises). Every zone
 * calculation in src/core goes through here.
 */
export interface WallFields {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

// The one cache src/core keeps: building an Intl.DateTimeFormat costs tens of microseconds (a plan may ask
// 100,000 times); a formatter per zone is a pure function of the zone's name, so no caller can observe it.
// eslint-disable-next-line no-restricted-syntax -- see above
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Throws RangeError for an unknown zone. */
function formatterFor(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  return f;
}

/** Throws RangeError for an unknown zone. */
export function wallFields(date: Date, timezone: string): WallFields {
  const out: WallFields = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0 };
  for (const p of formatterFor(timezone).formatToParts(date)) {
    if (p.type === 'year') out.y = Number(p.value);
    else if (p.type === 'month') out.mo = Number(p.value);
    else if (p.type === 'day') out.d = Number(p.value);
    else if (p.type === 'hour') out.h = Number(p.value);
    else if (p.type === 'minute') out.mi = Number(p.value);
    else if (p.type === 'second') out.s = Number(p.value);
  }
  return out;
}

export function isValidTimeZone(timezone: string): boolean {
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

export const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
