import { describe, expect, it } from 'vitest';
import { dayRule, lastFiredSlots, nextFireTimes, parseCalendar, parseDuration } from '../../src/core/schedule/index.js';
import { checkSchedule } from '../../src/core/validate/schedule.js';
import { shippedCalendars } from './_calendars.js';

const calendars = shippedCalendars();
const cn = calendars.get('cn-workdays')!;

describe('cn-workdays data (State Council notices for 2025 and 2026)', () => {
  it.each([
    ['2026-01-01', 'holiday'],
    ['2026-01-04', 'workday'],
    ['2026-02-14', 'workday'],
    ['2026-02-15', 'holiday'],
    ['2026-02-23', 'holiday'],
    ['2026-02-24', 'plain'],
    ['2026-02-28', 'workday'],
    ['2026-04-06', 'holiday'],
    ['2026-05-05', 'holiday'],
    ['2026-05-09', 'workday'],
    ['2026-06-19', 'holiday'],
    ['2026-09-20', 'workday'],
    ['2026-09-25', 'holiday'],
    ['2026-10-07', 'holiday'],
    ['2026-10-08', 'plain'],
    ['2026-10-10', 'workday'],
    ['2025-01-26', 'workday'],
    ['2025-10-08', 'holiday'],
    ['2027-01-01', 'uncovered'],
  ])('%s is %s', (day, rule) => {
    expect(dayRule(cn, day)).toBe(rule);
  });

  it('has every make-up workday on a weekend and cites a source for every year', () => {
    for (const [year, y] of cn.years) {
      expect(y.source, String(year)).toMatch(/^https:\/\/www\.gov\.cn\//);
      for (const d of y.workdays) expect([0, 6], d).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    }
    expect([...cn.years.keys()]).toEqual([2025, 2026]);
  });
});

describe('parseCalendar', () => {
  const good = { format: 'dingcast.calendar/v1', years: { '2027': { source: 'https://example.com', holidays: ['2027-01-01'], workdays: [] } } };
  it.each([
    ['not JSON', '{', /not JSON/],
    ['wrong format', JSON.stringify({ ...good, format: 'x' }), /`format` must be "dingcast.calendar\/v1"/],
    ['name differs from file', JSON.stringify({ ...good, name: 'other' }), /`name` is "other" but the file name says "acme"/],
    ['years missing', JSON.stringify({ format: 'dingcast.calendar/v1' }), /`years` must be an object/],
    ['no source', JSON.stringify({ format: 'dingcast.calendar/v1', years: { '2027': { holidays: [], workdays: [] } } }), /years\.2027: needs a `source`/],
    ['impossible date', JSON.stringify({ format: 'dingcast.calendar/v1', years: { '2027': { source: 's', holidays: ['2027-02-30'], workdays: [] } } }), /`2027-02-30` is not a YYYY-MM-DD date/],
    ['date in another year', JSON.stringify({ format: 'dingcast.calendar/v1', years: { '2027': { source: 's', holidays: ['2026-12-31'], workdays: [] } } }), /2026-12-31 is not in 2027/],
    ['both holiday and workday', JSON.stringify({ format: 'dingcast.calendar/v1', years: { '2027': { source: 's', holidays: ['2027-02-06'], workdays: ['2027-02-06'] } } }), /is both a holiday and a workday/],
  ])('%s', (_name, text, problem) => {
    const r = parseCalendar('acme', 'calendars/acme.json', text);
    expect(r.calendar).toBeUndefined();
    expect(r.problems.join('\n')).toMatch(problem);
  });

  it('accepts a good file', () => {
    const r = parseCalendar('acme', 'calendars/acme.json', JSON.stringify(good));
    expect(r.problems).toEqual([]);
    expect(r.calendar && dayRule(r.calendar, '2027-01-01')).toBe('holiday');
  });
});

describe('checkSchedule with calendar data', () => {
  const at = (now: string) => ({ calendars, now: new Date(now) });
  it.each([
    ['mid-2026: covered', '2026-06-01T00:00:00+08:00', []],
    ['December 2026: January 2027 is not covered', '2026-12-05T00:00:00+08:00', ['schedule/calendar-not-covered']],
    ['2027: not covered now', '2027-03-01T00:00:00+08:00', ['schedule/calendar-not-covered']],
  ])('%s', (_name, now, codes) => {
    const problems = checkSchedule('0 9 * * 1-5', 'Asia/Shanghai', 'cn-workdays', at(now));
    expect(problems.map((p) => p.code)).toEqual(codes);
    expect(problems.every((p) => p.severity === 'warning')).toBe(true);
  });

  it('knows project calendars and still rejects unknown names', () => {
    const withAcme = new Map([...calendars, ['acme', cn]]);
    expect(checkSchedule('0 9 * * 1-5', 'Asia/Shanghai', 'acme', { calendars: withAcme, now: new Date('2026-06-01T00:00:00Z') })).toEqual([]);
    expect(checkSchedule('0 9 * * 1-5', 'Asia/Shanghai', 'acmee', { calendars: withAcme, now: new Date('2026-06-01T00:00:00Z') }).map((p) => p.code)).toEqual(['schedule/unknown-calendar']);
  });

  it('adds no warnings without calendar data (the callers that route everything as errors)', () => {
    expect(checkSchedule('0 9 * * 1-5', 'Asia/Shanghai', 'cn-workdays')).toEqual([]);
  });
});

describe('nextFireTimes', () => {
  const ctx = { timezone: 'Asia/Shanghai', calendars };
  it('jumps Spring Festival and keeps the make-up Saturdays', () => {
    const n = { id: 'n', schedule: '0 9 * * 1-5', timezone: undefined, calendar: 'cn-workdays', enabled: true };
    expect(nextFireTimes(n, new Date('2026-02-13T10:00:00+08:00'), 3, ctx).times).toEqual(['2026-02-14T09:00:00+08:00', '2026-02-24T09:00:00+08:00', '2026-02-25T09:00:00+08:00']);
  });
  it('in its own zone', () => {
    const n = { id: 'n', schedule: '0 9 * * *', timezone: 'America/New_York', calendar: undefined, enabled: true };
    expect(nextFireTimes(n, new Date('2026-03-07T15:00:00Z'), 2, ctx).times).toEqual(['2026-03-08T09:00:00-04:00', '2026-03-09T09:00:00-04:00']);
  });
});

describe('parseDuration', () => {
  it.each([
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['90s', 90_000],
    ['2d', 172_800_000],
    ['15', undefined],
    ['m', undefined],
    ['-5m', undefined],
    ['1 h', undefined],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
});

describe('lastFiredSlots', () => {
  it('takes the latest instant per notification, whatever the offset in the text', () => {
    const m = lastFiredSlots([
      { type: 'slot', notification: 'a', slot: '2026-03-02T09:00:00+08:00' },
      { type: 'slot', notification: 'a', slot: '2026-03-02T02:00:00Z' },
      { type: 'slot', notification: 'a', slot: '2026-03-01T09:00:00+08:00' },
      { type: 'intent', notification: 'b' },
    ]);
    expect([...m]).toEqual([['a', '2026-03-02T02:00:00Z']]);
  });
});
