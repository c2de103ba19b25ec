/**
 * Times in the project's time zone. A time typed without an offset (`--at 2026-12-02T18:05`) means wall-clock
 * time where the project is (engineers in China type Beijing time), and times people read are shown there,
 * with the offset, so nobody has to convert from UTC.
 */

import { wallFields } from './zones.js';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/** True for an ISO date or date-time without `Z` or an offset. */
export function isLocalTime(text: string): boolean {
  return LOCAL.test(text.trim()); // the pattern has no room for Z or an offset
}

/** Milliseconds to add to UTC to get the wall-clock time in `timeZone` at `instant`. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const f = wallFields(new Date(instant), timeZone);
  const wall = Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in `timeZone`. In a DST gap (a time that does not exist) the offset
 * before the gap is used, so 02:30 on a spring-forward night becomes 03:30; China has no DST.
 */
export function localToInstant(text: string, timeZone: string): Date | undefined {
  const m = LOCAL.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, '0')));
  // Date.UTC rolls 2026-13-45 over into 2027; a time whose fields do not survive the round trip is not one.
  const back = new Date(wall);
  if (Number.isNaN(wall) || back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi) || back.getUTCSeconds() !== Number(s)) return undefined;
  // Guess with the offset at the wall time read as UTC, then correct with the offset at the guess. If the
  // corrected instant is not at that offset either, the wall time falls in a DST gap: keep the first guess.
  const first = wall - zoneOffsetMs(wall, timeZone);
  const offset = zoneOffsetMs(first, timeZone);
  const instant = zoneOffsetMs(wall - offset, timeZone) === offset ? wall - offset : first;
  const check = new Date(instant);
  return Number.isNaN(check.getTime()) ? undefined : check;
}

/** `2026-12-02 18:05:00 +08:00`: what people read in plans, reports and messages. */
export function formatInZone(date: Date, timeZone: string): string {
  const { wall, offset } = wallAndOffset(date, timeZone);
  return `${wall.slice(0, 10)} ${wall.slice(11, 19)} ${offset}`;
}

/** `2026-12-02T18:05:00.000+08:00`: ISO 8601 still (machines read it), but the wall clock of the project. */
export function isoInZone(date: Date, timeZone: string): string {
  const { wall, offset } = wallAndOffset(date, timeZone);
  return `${wall.slice(0, 23)}${offset}`;
}

function wallAndOffset(date: Date, timeZone: string): { wall: string; offset: string } {
  const ms = zoneOffsetMs(date.getTime(), timeZone);
  const wall = new Date(date.getTime() + ms).toISOString();
  const abs = Math.abs(ms) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return { wall, offset: `${ms < 0 ? '-' : '+'}${hh}:${mm}` };
}

/** `2026-12-02 18:05:00 +08:00` in the project's zone; an unknown zone or an older report without one keeps the ISO text. */
export function readableTime(iso: string, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (timeZone === undefined || Number.isNaN(date.getTime())) return iso;
  try {
    return formatInZone(date, timeZone);
  } catch {
    return iso;
  }
}
