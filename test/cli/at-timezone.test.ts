import { describe, expect, it } from 'vitest';
import { formatInZone, isLocalTime, localToInstant } from '../../src/core/time.js';
import { runCli } from '../helpers/cli.js';
import { textProject } from '../send/_project.js';

describe('wall-clock times in a time zone', () => {
  it.each([
    ['2026-12-02T18:05', 'Asia/Shanghai', '2026-12-02T10:05:00.000Z'],
    ['2026-12-02 18:05:30', 'Asia/Shanghai', '2026-12-02T10:05:30.000Z'],
    ['2026-12-02', 'Asia/Shanghai', '2026-12-01T16:00:00.000Z'],
    ['2026-07-01T09:00', 'America/New_York', '2026-07-01T13:00:00.000Z'],
    ['2026-01-15T09:00', 'America/New_York', '2026-01-15T14:00:00.000Z'],
    ['2026-03-08T02:30', 'America/New_York', '2026-03-08T07:30:00.000Z'], // in the spring-forward gap: the offset before it
    ['2026-12-02T18:05', 'UTC', '2026-12-02T18:05:00.000Z'],
  ])('%s in %s', (local, tz, utc) => {
    expect(localToInstant(local, tz)?.toISOString()).toBe(utc);
  });

  it('tells times with an offset from wall-clock times', () => {
    expect(['2026-12-02T18:05', '2026-12-02', '2026-12-02T18:05:00.123'].map(isLocalTime)).toEqual([true, true, true]);
    expect(['2026-12-02T18:05Z', '2026-12-02T18:05+08:00', '2026-12-02T18:05:00-0500', 'tomorrow'].map(isLocalTime)).toEqual([false, false, false, false]);
  });

  it('shows an instant in the zone with its offset', () => {
    expect(formatInZone(new Date('2026-12-02T10:05:00Z'), 'Asia/Shanghai')).toBe('2026-12-02 18:05:00 +08:00');
    expect(formatInZone(new Date('2026-01-15T14:00:00Z'), 'America/New_York')).toBe('2026-01-15 09:00:00 -05:00');
    expect(formatInZone(new Date('2026-01-15T14:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-15 19:30:00 +05:30');
  });
});

describe('--at without an offset means the project time zone', () => {
  const planAt = async (dir: string, at: string) => {
    const r = await runCli(['send', 'note', '--dry-run', '--json', '--at', at, '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { run_id: string; day: string };
  };

  it('reads 18:05 as Beijing time in an Asia/Shanghai project, and an explicit offset as given', async () => {
    const dir = textProject(['zhangsan']);
    expect((await planAt(dir, '2026-12-02T18:05')).run_id).toMatch(/^20261202T100500Z-/);
    expect((await planAt(dir, '2026-12-02T18:05Z')).run_id).toMatch(/^20261202T180500Z-/);
    // 07:30 in Beijing is still the previous day in UTC: the day (once-a-day rule) follows the project zone.
    expect(await planAt(dir, '2026-12-03T07:30')).toMatchObject({ day: '2026-12-03' });
  });

  it('prints the plan\'s time in the project zone with its offset', async () => {
    const dir = textProject(['zhangsan']);
    const r = await runCli(['send', 'note', '--dry-run', '--at', '2026-12-02T18:05', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/^plan 20261202T100500Z-[0-9a-f]{6} — 2026-12-02 18:05:00 \+08:00 \(Asia\/Shanghai\)/m);
  });

  it('refuses a time that is not one', async () => {
    const dir = textProject(['zhangsan']);
    const r = await runCli(['send', 'note', '--dry-run', '--at', '2026-13-45T18:05', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not an ISO time/);
  });
});
