import { describe, expect, it } from 'vitest';
import { callsEntry, overQuota, quotaLine, quotaMonth, quotaOf } from '../../src/core/send/quota.js';
import type { LedgerRecord } from '../../src/core/send/records.js';

const rec = (run: string, app: string, month: string, count: number, exhausted = false): LedgerRecord => ({ v: 1, ts: '2026-12-01T00:00:00Z', ...callsEntry(run, app, new Date(`${month}-15T00:00:00Z`), count, exhausted) });

describe('monthly quota (pure)', () => {
  it('counts months in China time', () => {
    expect(quotaMonth(new Date('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(quotaMonth(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11');
  });

  it('sums this app\'s calls of this month only', () => {
    const records = [rec('r1', '1', '2026-12', 10), rec('r2', '2', '2026-12', 100), rec('r3', '1', '2026-11', 1000), rec('r4', '1', '2026-12', 5)];
    const q = quotaOf(records, '1', new Date('2026-12-02T04:00:00Z'), 30, 50);
    expect(q).toEqual({ month: '2026-12', used: 15, cost: 30, limit: 50, left: 35 });
    expect(overQuota(q)).toBeUndefined();
    expect(quotaLine(q)).toBe('API quota 2026-12: this run ~30 calls; 15 of 50 used, 35 left (5 after it)');
    expect(overQuota({ ...q, cost: 36 })).toBe("this run needs ~36 API calls but only 35 of this month's 50 are left (15 used in 2026-12)");
  });

  it('a 90020 this month refuses with a limit; no limit never refuses; a run that makes no call never does', () => {
    const q = quotaOf([rec('r9', '1', '2026-12', 3, true)], '1', new Date('2026-12-02T04:00:00Z'), 2, 5000);
    expect(q.exhausted_by).toBe('r9');
    expect(overQuota(q)).toMatch(/90020, run r9/);
    expect(overQuota({ ...q, cost: 0 })).toBeUndefined();
    expect(overQuota(quotaOf([rec('r9', '1', '2026-12', 99999, true)], '1', new Date('2026-12-02T04:00:00Z'), 2, undefined))).toBeUndefined();
  });
});
