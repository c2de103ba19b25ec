/** The ledger records that matter here; the I/O edge passes what it read. */
export interface SlotRecord {
  type: string;
  notification?: string;
  slot?: string;
}

/** The latest fired slot per notification. Slots are compared as instants, so zone offsets in the text do not matter. */
export function lastFiredSlots(records: readonly SlotRecord[]): Map<string, string> {
  const latest = new Map<string, string>();
  for (const r of records) {
    if (r.type !== 'slot' || r.notification === undefined || r.slot === undefined) continue;
    const prev = latest.get(r.notification);
    if (prev === undefined || Date.parse(r.slot) > Date.parse(prev)) latest.set(r.notification, r.slot);
  }
  return latest;
}
