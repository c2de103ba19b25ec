import type { NotificationReport, RecipientStatus, Totals } from '../send/types.js';

/**
 * Recipients are counted per notification: a user in two notifications got two messages, so counts twice.
 * A ledger-skipped user normally also sits in `recipients` as `skipped`; one listed only in `skipped`
 * still counts, so a report assembled either way gives the same totals. One pass per notification.
 */
export function computeTotals(notifications: readonly NotificationReport[]): Totals {
  const totals = emptyTotals();
  for (const n of notifications) addStatuses(totals, n.calls.length, effectiveStatuses(n));
  return totals;
}

/** One notification's totals from its status map, already built (describe.ts ReportedNotification). */
export function totalsOfStatuses(calls: number, statuses: ReadonlyMap<string, RecipientStatus>): Totals {
  return addStatuses(emptyTotals(), calls, statuses);
}

function emptyTotals(): Totals {
  return { calls: 0, recipients: 0, read: 0, unread: 0, failed: 0, forbidden: 0, invalid: 0, skipped: 0, unknown: 0 };
}

function addStatuses(totals: Totals, calls: number, statuses: ReadonlyMap<string, RecipientStatus>): Totals {
  totals.calls += calls;
  totals.recipients += statuses.size;
  for (const status of statuses.values()) totals[status]++;
  return totals;
}

/**
 * The notification's recipients with ledger-skipped users folded in (an explicit status wins). One pass: printers
 * build it once per notification per write (describe.ts reportedNotifications) and look calls up in it.
 */
export function effectiveStatuses(n: NotificationReport): ReadonlyMap<string, RecipientStatus> {
  const out = new Map<string, RecipientStatus>();
  for (const u in n.recipients) out.set(u, n.recipients[u] as RecipientStatus);
  for (const s of n.skipped) if (!out.has(s.userid)) out.set(s.userid, 'skipped');
  return out;
}
