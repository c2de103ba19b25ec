import type { NotificationReport, RecipientStatus, Totals } from '../send/types.js';

/**
 * Recipients are counted per notification: a user in two notifications got two messages, so counts twice.
 * A ledger-skipped user normally also sits in `recipients` as `skipped`; one listed only in `skipped`
 * still counts, so a report assembled either way gives the same totals. One pass per notification.
 */
export function computeTotals(notifications: readonly NotificationReport[]): Totals {
  const totals: Totals = { calls: 0, recipients: 0, read: 0, unread: 0, failed: 0, forbidden: 0, invalid: 0, skipped: 0, unknown: 0 };
  for (const n of notifications) {
    totals.calls += n.calls.length;
    for (const status of effectiveStatuses(n).values()) {
      totals.recipients++;
      totals[status]++;
    }
  }
  return totals;
}

/**
 * The notification's recipients with ledger-skipped users folded in (an explicit status wins). One pass: printers
 * build it once per notification (describe.ts reportedNotification) and look calls up in it.
 */
export function effectiveStatuses(n: NotificationReport): ReadonlyMap<string, RecipientStatus> {
  const out = new Map<string, RecipientStatus>();
  for (const u in n.recipients) out.set(u, n.recipients[u] as RecipientStatus);
  for (const s of n.skipped) if (!out.has(s.userid)) out.set(s.userid, 'skipped');
  return out;
}
