import { describe, expect, it } from 'vitest';
import { dueSlots, MAX_COUNTED } from '../../src/core/schedule/index.js';
import { shippedCalendars } from './_calendars.js';

const calendars = shippedCalendars();

interface Case {
  name: string;
  schedule: string;
  /** The project's zone. */
  tz?: string;
  /** The notification's own zone. */
  ntz?: string;
  calendar?: string;
  last?: string;
  now: string;
  window?: number;
  /** [slot, missed] or null when nothing is due. */
  due: [string, number] | null;
  note?: string;
}

const M = 60_000;
const cases: Case[] = [
  // minute boundaries: the range is (last, now], so a slot counts at its own second and not before
  { name: 'minute: one second early', schedule: '*/5 * * * *', last: '2026-03-02T09:55:00+08:00', now: '2026-03-02T09:59:59+08:00', due: null },
  { name: 'minute: exactly on the slot', schedule: '*/5 * * * *', last: '2026-03-02T09:55:00+08:00', now: '2026-03-02T10:00:00+08:00', due: ['2026-03-02T10:00:00+08:00', 0] },
  { name: 'minute: the fired slot itself is not due again', schedule: '*/5 * * * *', last: '2026-03-02T10:00:00+08:00', now: '2026-03-02T10:04:59+08:00', due: null },
  { name: 'window: a slot exactly window-old is out', schedule: '30 9 * * *', now: '2026-03-02T09:45:00+08:00', window: 15 * M, due: null },
  { name: 'window: a slot inside the window is in', schedule: '30 9 * * *', now: '2026-03-02T09:44:59+08:00', window: 15 * M, due: ['2026-03-02T09:30:00+08:00', 0] },
  { name: 'window: default is 15 minutes', schedule: '30 9 * * *', now: '2026-03-02T09:50:00+08:00', due: null },
  { name: 'window: a wider window catches a late runner', schedule: '30 9 * * *', now: '2026-03-02T10:20:00+08:00', window: 60 * M, due: ['2026-03-02T09:30:00+08:00', 0] },
  // hour boundaries
  { name: 'hour: 10:00 after 09:00', schedule: '0 * * * *', last: '2026-03-02T09:00:00+08:00', now: '2026-03-02T10:00:00+08:00', due: ['2026-03-02T10:00:00+08:00', 0] },
  { name: 'hour: late in the hour still 10:00', schedule: '0 * * * *', last: '2026-03-02T09:00:00+08:00', now: '2026-03-02T10:59:59+08:00', due: ['2026-03-02T10:00:00+08:00', 0] },
  { name: 'hour: two slots, one send', schedule: '0 * * * *', last: '2026-03-02T09:00:00+08:00', now: '2026-03-02T11:00:00+08:00', due: ['2026-03-02T11:00:00+08:00', 1] },
  // day boundary in the project's zone versus UTC (00:00 in Shanghai is 16:00 UTC the day before)
  { name: 'day: Shanghai midnight', schedule: '0 0 * * *', tz: 'Asia/Shanghai', now: '2026-03-01T16:00:00Z', due: ['2026-03-02T00:00:00+08:00', 0] },
  { name: 'day: the same instant is not UTC midnight', schedule: '0 0 * * *', tz: 'UTC', now: '2026-03-01T16:00:00Z', due: null },
  { name: 'day: UTC midnight', schedule: '0 0 * * *', tz: 'UTC', now: '2026-03-02T00:00:00Z', due: ['2026-03-02T00:00:00+00:00', 0] },
  { name: 'day: a notification zone beats the project zone', schedule: '0 0 * * *', tz: 'Asia/Shanghai', ntz: 'UTC', now: '2026-03-01T16:00:00Z', due: null },
  { name: 'day: Monday 01:00 in Shanghai is Sunday in UTC', schedule: '0 1 * * 1', tz: 'Asia/Shanghai', now: '2026-03-01T17:00:00Z', due: ['2026-03-02T01:00:00+08:00', 0] },
  // America/New_York: DST starts 2026-03-08 02:00 (clocks jump to 03:00) and ends 2026-11-01 02:00 (back to 01:00)
  { name: 'DST start: 02:30 does not exist, fires at 03:00 EDT', schedule: '30 2 * * *', tz: 'America/New_York', now: '2026-03-08T07:00:00Z', due: ['2026-03-08T03:00:00-04:00', 0] },
  { name: 'DST start: daily 09:00 keeps local time across the switch', schedule: '0 9 * * *', tz: 'America/New_York', last: '2026-03-07T09:00:00-05:00', now: '2026-03-08T13:00:00Z', due: ['2026-03-08T09:00:00-04:00', 0] },
  { name: 'DST start: 09:00 EDT is not yet due at 09:00 EST', schedule: '0 9 * * *', tz: 'America/New_York', last: '2026-03-07T09:00:00-05:00', now: '2026-03-08T12:59:59Z', due: null },
  { name: 'DST start: hourly skips the missing 02:00', schedule: '0 * * * *', tz: 'America/New_York', last: '2026-03-08T01:00:00-05:00', now: '2026-03-08T07:00:00Z', due: ['2026-03-08T03:00:00-04:00', 0] },
  { name: 'DST end: 01:30 fires on its first pass', schedule: '30 1 * * *', tz: 'America/New_York', last: '2026-10-31T01:30:00-04:00', now: '2026-11-01T05:45:00Z', due: ['2026-11-01T01:30:00-04:00', 0] },
  { name: 'DST end: and not again on the repeated hour', schedule: '30 1 * * *', tz: 'America/New_York', last: '2026-11-01T01:30:00-04:00', now: '2026-11-01T06:45:00Z', due: null },
  { name: 'DST end: hourly fires in both 01:00 hours', schedule: '0 * * * *', tz: 'America/New_York', last: '2026-11-01T00:00:00-04:00', now: '2026-11-01T07:00:00Z', due: ['2026-11-01T02:00:00-05:00', 2] },
  // catch-up after a long gap: one send for the latest slot, the rest counted
  { name: 'catch-up: 18 days of weekdays', schedule: '0 9 * * 1-5', last: '2026-03-02T09:00:00+08:00', now: '2026-03-20T12:00:00+08:00', due: ['2026-03-20T09:00:00+08:00', 13] },
  { name: 'catch-up: a stale future slot fires nothing', schedule: '0 9 * * 1-5', last: '2026-03-25T09:00:00+08:00', now: '2026-03-20T12:00:00+08:00', due: null },
  // cn-workdays in 2026
  { name: 'holiday: National Day Monday is skipped', schedule: '0 9 * * 1-5', calendar: 'cn-workdays', now: '2026-10-05T09:00:00+08:00', due: null },
  { name: 'holiday: the same Monday fires without the calendar', schedule: '0 9 * * 1-5', now: '2026-10-05T09:00:00+08:00', due: ['2026-10-05T09:00:00+08:00', 0] },
  { name: 'holiday: catch-up over Spring Festival counts only workdays', schedule: '0 9 * * 1-5', calendar: 'cn-workdays', last: '2026-02-13T09:00:00+08:00', now: '2026-02-24T09:00:00+08:00', due: ['2026-02-24T09:00:00+08:00', 1] },
  { name: 'make-up workday: Saturday 2026-02-14 fires', schedule: '0 9 * * 1-5', calendar: 'cn-workdays', now: '2026-02-14T09:00:00+08:00', due: ['2026-02-14T09:00:00+08:00', 0] },
  { name: 'make-up workday: Sunday 2026-09-20 fires', schedule: '0 9 * * 1-5', calendar: 'cn-workdays', now: '2026-09-20T09:05:00+08:00', due: ['2026-09-20T09:00:00+08:00', 0] },
  { name: 'make-up workday: not without the calendar', schedule: '0 9 * * 1-5', now: '2026-02-14T09:00:00+08:00', due: null },
  { name: 'make-up workday: a Monday-only cron does not say weekdays', schedule: '30 9 * * 1', calendar: 'cn-workdays', now: '2026-02-14T09:30:00+08:00', due: null },
  { name: 'make-up workday: several times a day', schedule: '0 9,14 * * 1-5', calendar: 'cn-workdays', last: '2026-02-14T09:00:00+08:00', now: '2026-02-14T14:00:00+08:00', due: ['2026-02-14T14:00:00+08:00', 0] },
  // beyond the data: plain weekdays, and a note saying so
  { name: 'beyond the data: 2027-01-01 falls back to the cron', schedule: '0 9 * * 1-5', calendar: 'cn-workdays', now: '2027-01-01T09:00:00+08:00', due: ['2027-01-01T09:00:00+08:00', 0], note: 'schedule/calendar-fallback' },
  { name: 'unknown calendar: plain cron, with a note', schedule: '0 9 * * 1-5', calendar: 'acme-days', now: '2026-10-05T09:00:00+08:00', due: ['2026-10-05T09:00:00+08:00', 0], note: 'schedule/calendar-missing' },
  { name: 'bad last slot: the window decides, with a note', schedule: '0 9 * * 1-5', last: 'yesterday', now: '2026-03-02T09:00:00+08:00', due: ['2026-03-02T09:00:00+08:00', 0], note: 'schedule/bad-last-slot' },
];

describe('dueSlots', () => {
  it.each(cases)('$name', (c) => {
    const r = dueSlots({
      notifications: [{ id: 'n', schedule: c.schedule, timezone: c.ntz, calendar: c.calendar, enabled: true }],
      timezone: c.tz ?? 'Asia/Shanghai',
      lastFired: new Map(c.last !== undefined ? [['n', c.last]] : []),
      now: new Date(c.now),
      calendars,
      ...(c.window !== undefined ? { windowMs: c.window } : {}),
    });
    expect(r.due.map((d) => [d.slot, d.missed])).toEqual(c.due ? [c.due] : []);
    expect(r.notes.map((n) => n.code)).toEqual(c.note ? [c.note] : []);
  });

  it('says which years fell back and which the calendar covers', () => {
    const r = dueSlots({ notifications: [{ id: 'n', schedule: '0 9 * * 1-5', timezone: undefined, calendar: 'cn-workdays', enabled: true }], timezone: 'Asia/Shanghai', lastFired: new Map(), now: new Date('2027-01-04T09:00:00+08:00'), calendars });
    expect(r.notes[0]?.message).toBe('n: calendar `cn-workdays` has no data for 2027 (it covers 2025, 2026); those dates follow the plain cron (weekdays), without holidays or make-up workdays');
  });

  it('caps the count of missed slots and still picks the latest', () => {
    const r = dueSlots({ notifications: [{ id: 'n', schedule: '* * * * *', timezone: undefined, calendar: undefined, enabled: true }], timezone: 'Asia/Shanghai', lastFired: new Map([['n', '2026-02-01T00:00:00+08:00']]), now: new Date('2026-03-02T09:05:30+08:00'), calendars });
    expect(r.due).toEqual([{ id: 'n', slot: '2026-03-02T09:05:00+08:00', missed: MAX_COUNTED, missedAtLeast: true }]);
  });

  it('finds the latest slot on a make-up day when the count is capped', () => {
    const r = dueSlots({ notifications: [{ id: 'n', schedule: '*/2 9-10 * * 1-5', timezone: undefined, calendar: 'cn-workdays', enabled: true }], timezone: 'Asia/Shanghai', lastFired: new Map([['n', '2026-01-05T09:00:00+08:00']]), now: new Date('2026-02-14T09:31:00+08:00'), calendars });
    expect(r.due).toEqual([{ id: 'n', slot: '2026-02-14T09:30:00+08:00', missed: MAX_COUNTED, missedAtLeast: true }]);
  });

  it('skips disabled and unscheduled notifications, and handles each notification on its own', () => {
    const r = dueSlots({
      notifications: [
        { id: 'off', schedule: '0 9 * * *', timezone: undefined, calendar: undefined, enabled: false },
        { id: 'manual', schedule: undefined, timezone: undefined, calendar: undefined, enabled: true },
        { id: 'a', schedule: '0 9 * * *', timezone: undefined, calendar: undefined, enabled: true },
        { id: 'b', schedule: '0 9 * * *', timezone: undefined, calendar: undefined, enabled: true },
      ],
      timezone: 'Asia/Shanghai',
      lastFired: new Map([['b', '2026-03-02T09:00:00+08:00']]),
      now: new Date('2026-03-02T09:01:00+08:00'),
      calendars,
    });
    expect(r.due.map((d) => d.id)).toEqual(['a']);
  });
});
