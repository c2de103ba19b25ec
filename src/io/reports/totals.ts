import type { NotificationReport, RecipientStatus, Totals } from '../../core/send/types.js';

/**
 * Recipients are counted per notification: a user in two notifications got two messages, so counts twice.
 * A ledger-skipped user normally also sits in `recipients` as `skipped`; one listed only in `skipped`
 * still counts, so a report assembled either way gives the same totals.
 */
export function computeTotals(notifications: NotificationReport[]): Totals {
  const totals: Totals = { calls: 0, recipients: 0, read: 0, unread: 0, failed: 0, forbidden: 0, invalid: 0, skipped: 0, unknown: 0 };
  for (const n of notifications) {
    totals.calls += n.calls.length;
    for (const status of Object.values(effectiveStatuses(n))) {
      totals.recipients++;
      totals[status]++;
    }
  }
  return totals;
}

/** The notification's recipients with ledger-skipped users folded in (an explicit status wins). */
export function effectiveStatuses(n: NotificationReport): Record<string, RecipientStatus> {
  const out: Record<string, RecipientStatus> = { ...n.recipients };
  for (const s of n.skipped) if (!Object.hasOwn(out, s.userid)) out[s.userid] = 'skipped';
  return out;
}
