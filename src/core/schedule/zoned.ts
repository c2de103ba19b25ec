import { pad, wallFields as fields } from '../zones.js';

/** YYYY-MM-DD of an instant in a zone. */
export function dayOf(date: Date, timezone: string): string {
  const f = fields(date, timezone);
  return `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)}`;
}

/** Minutes the zone is ahead of UTC at this instant. */
export function offsetMinutes(date: Date, timezone: string): number {
  const f = fields(date, timezone);
  const wall = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  return Math.round((wall - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
}

/**
 * A slot as written to the ledger, the reports and `@slot`: local wall time with its offset
 * (`2026-03-02T09:00:00+08:00`), exact like UTC and readable like the cron line that produced it.
 */
export function formatSlot(date: Date, timezone: string): string {
  const f = fields(date, timezone);
  const off = offsetMinutes(date, timezone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${pad(f.y, 4)}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** An instant at or a little before local midnight of `day` (callers step forward from it). */
export function aroundStartOf(day: string, timezone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const noon = new Date(Date.UTC(y, m - 1, d, 12));
  // An hour of margin covers zones whose offset changes between midnight and noon.
  return new Date(Date.UTC(y, m - 1, d) - offsetMinutes(noon, timezone) * 60_000 - 3_600_000);
}

/** 0 = Sunday … 6 = Saturday, of a calendar date (no zone involved). */
export function weekdayOf(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}
