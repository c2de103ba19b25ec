import { describe, expect, it } from 'vitest';
import { dueResends, MAX_DUE_ATTEMPTS } from '../../src/core/send/dueResends.js';
import type { DeliveryRecord, DeliveryState } from '../../src/core/send/ledgerView.js';

const SLOT = '2026-03-02T09:00:00+08:00';
const DAY = '2026-03-02';
let n = 0;
const d = (recipient: string, state: DeliveryState, extra: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  run: `r${++n}`, at: `2026-03-02T01:0${n % 10}:00Z`, key: `k${n}`, notification: 'daily', sha256: 's', day: DAY, recipient, occurrence: SLOT, identity: 'i', state, ...extra,
});
const fired = new Map([['daily', SLOT]]);

describe('dueResends: what a fired slot still owes', () => {
  it('owes the failed, the rate-limited and the unanswered; not those who have it or are invalid', () => {
    const owed = dueResends([d('user:a', 'delivered'), d('user:b', 'retry'), d('user:c', 'unknown'), d('user:e', 'invalid'), d('user:f', 'sent'), d('dept:7', 'unknown')], fired, DAY);
    expect(owed).toEqual([{ notification: 'daily', slot: SLOT, recipients: ['user:b', 'user:c', 'dept:7'], gaveUp: [] }]);
  });

  it('a later success settles a recipient; the daily cap waits for another day', () => {
    const owed = dueResends([d('user:b', 'retry'), d('user:b', 'delivered'), d('user:c', 'capped', { day: DAY })], fired, DAY);
    expect(owed).toEqual([]);
    expect(dueResends([d('user:c', 'capped', { day: '2026-03-01' })], fired, DAY)[0]?.recipients).toEqual(['user:c']);
  });

  it('only the latest fired slot, only its own occurrence', () => {
    const older = d('user:b', 'retry', { occurrence: '2026-03-01T09:00:00+08:00' });
    const otherNotification = d('user:b', 'retry', { notification: 'weekly' });
    const byDay = d('user:b', 'retry', { occurrence: DAY });
    expect(dueResends([older, otherNotification, byDay], fired, DAY)).toEqual([]);
  });

  it(`gives up after ${MAX_DUE_ATTEMPTS} attempts and says so`, () => {
    const tries = Array.from({ length: MAX_DUE_ATTEMPTS }, () => d('user:b', 'retry'));
    expect(dueResends(tries.slice(1), fired, DAY)[0]).toMatchObject({ recipients: ['user:b'], gaveUp: [] });
    expect(dueResends(tries, fired, DAY)[0]).toMatchObject({ recipients: [], gaveUp: ['user:b'] });
  });
});
