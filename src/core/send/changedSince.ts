import type { DeliveryRecord } from './ledgerView.js';

/**
 * The latest earlier send for this occurrence under another definition ("changed since run X"), among the given
 * deliveries (a notification's, or one `each:` row's person's); none when one of them was sent under this definition.
 */
export function changedSince(lists: Iterable<readonly DeliveryRecord[]>, identity: string, occurrence: string): { run: string; at: string } | undefined {
  let latest: DeliveryRecord | undefined;
  for (const list of lists) {
    for (const d of list) {
      if (d.occurrence !== occurrence) continue;
      if (d.identity === identity) return undefined;
      if (d.identity !== undefined && (!latest || d.at > latest.at)) latest = d;
    }
  }
  return latest ? { run: latest.run, at: latest.at } : undefined;
}
