// The pure rule functions, as one-line tables; the socket tests cover how the server wires them.
import { describe, expect, it } from 'vitest';
import { createClock, dayKeyOf } from '../../src/sandbox/clock.js';
import { decideDeliveries } from '../../src/sandbox/rules/flow-control.js';
import { admitCall } from '../../src/sandbox/rules/rate.js';
import { progressAt, processedAt } from '../../src/sandbox/rules/task-progress.js';

describe('dayKeyOf (Asia/Shanghai is UTC+8)', () => {
  it.each([
    ['2026-03-16T15:59:59.999Z', '2026-03-16'],
    ['2026-03-16T16:00:00.000Z', '2026-03-17'],
    ['2026-03-16T16:14:59.999Z', '2026-03-17'],
    ['2026-03-16T00:00:00.000Z', '2026-03-16'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01'],
  ])('%s → %s', (iso, day) => {
    // Twice: the second answer comes from the slot cache and must agree.
    expect(dayKeyOf(Date.parse(iso), 'Asia/Shanghai')).toBe(day);
    expect(dayKeyOf(Date.parse(iso), 'Asia/Shanghai')).toBe(day);
  });

  it('keeps zones apart in its cache', () => {
    const ms = Date.parse('2026-03-16T20:00:00Z');
    expect([dayKeyOf(ms, 'Asia/Shanghai'), dayKeyOf(ms, 'America/New_York')]).toEqual(['2026-03-17', '2026-03-16']);
  });
});

describe('createClock', () => {
  it('stands still when fixed and moves by set/advance', () => {
    const clock = createClock(new Date('2026-01-01T00:00:00Z'));
    clock.advance(1500);
    expect(clock.now()).toBe(Date.parse('2026-01-01T00:00:01.500Z'));
    clock.set('2026-02-01T00:00:00Z');
    expect(clock.now()).toBe(Date.parse('2026-02-01T00:00:00Z'));
  });

  it('follows its source plus an offset when running', () => {
    let source = 1_000;
    const clock = createClock(() => source);
    clock.advance(500);
    source = 2_000;
    expect(clock.now()).toBe(2_500);
    clock.set(10_000);
    source = 3_000;
    expect(clock.now()).toBe(11_000);
    clock.freeze();
    source = 9_000;
    expect(clock.now()).toBe(11_000);
  });
});

describe('admitCall (sliding one-second window)', () => {
  it.each<[string, number[], number, number, boolean]>([
    ['under the cap', [0, 100], 200, 3, true],
    ['at the cap', [0, 100, 150], 200, 3, false],
    ['after the oldest left the window', [0, 100, 150], 1000, 3, true],
    ['cap off', Array.from({ length: 100 }, () => 5), 10, 0, true],
  ])('%s', (_name, window, now, qps, admitted) => {
    expect(admitCall([...window], now, qps).admitted).toBe(admitted);
  });
});

describe('progressAt', () => {
  const t = { createdAt: 0, recipients: 10, queueMs: 200, baseMs: 600, perRecipientMs: 40 }; // 1000 ms of work
  it.each<[number, unknown]>([
    [0, { status: 0, progress_in_percent: 0, processed: 0 }],
    [199, { status: 0, progress_in_percent: 0, processed: 0 }],
    [200, { status: 1, progress_in_percent: 0, processed: 0 }],
    [700, { status: 1, progress_in_percent: 50, processed: 5 }],
    [1200, { status: 2, progress_in_percent: 100, processed: 10 }],
  ])('at %i ms', (now, progress) => {
    expect(progressAt(t, now)).toEqual(progress);
  });

  it('processes recipient i when the progress says so', () => {
    expect(processedAt(t, 4)).toBe(700);
    expect(progressAt(t, processedAt(t, 4)).processed).toBe(5);
  });
});

describe('decideDeliveries', () => {
  const ctx = {
    isKnownUser: (u: string) => u !== 'ghost',
    receivedToday: (u: string) => (u === 'busy' ? 500 : 0),
    sawContentToday: (u: string) => u === 'seen' || u === 'busy',
    dailyCap: 500,
    failingUsers: new Set(['broken']),
  };
  it.each([
    ['ghost', { userid: 'ghost', outcome: 'invalid' }],
    ['seen', { userid: 'seen', outcome: 'forbidden', code: '143106', count: 1 }],
    ['busy', { userid: 'busy', outcome: 'forbidden', code: '143106', count: 1 }],
    ['broken', { userid: 'broken', outcome: 'failed' }],
    ['fine', { userid: 'fine', outcome: 'delivered' }],
  ])('%s', (userid, delivery) => {
    expect(decideDeliveries([userid], ctx)).toEqual([delivery]);
  });

  it('names the daily cap when the content is new', () => {
    expect(decideDeliveries(['busy'], { ...ctx, sawContentToday: () => false })).toEqual([
      { userid: 'busy', outcome: 'forbidden', code: '143105', count: 500 },
    ]);
  });
});
