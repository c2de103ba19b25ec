import type { LedgerRecord } from '../ledger.js';
import type { StateStatus } from './types.js';

/** `compact` never keeps less than this: planning needs today, DingTalk's result and recall windows are 24 h, people look back a week. */
export const MIN_KEEP_DAYS = 7;

/**
 * Which records `dingcast state compact` keeps (a pure policy, the same for files and PostgreSQL):
 * - every intent of a day on or after `fromDay`, with every record that answers it (same key);
 * - each notification's last fired slot, whatever its age (`send --due` must not fire an old slot again);
 * - any record written on or after `fromTs` (an answer whose intent is gone, a slot), and any record of a type
 *   this dingcast does not know (a newer dingcast wrote it: dropping it could lose what it meant).
 */
export function recordsToKeep(records: LedgerRecord[], fromDay: string, fromTs: string): boolean[] {
  const keptKeys = new Set<string>();
  for (const r of records) if (r.type === 'intent' && r.day >= fromDay) keptKeys.add(r.key);
  const lastSlot = new Map<string, number>();
  records.forEach((r, i) => {
    if (r.type !== 'slot') return;
    const prev = lastSlot.get(r.notification);
    const prevSlot = prev === undefined ? undefined : (records[prev] as { slot: string }).slot;
    if (prevSlot === undefined || !(Date.parse(r.slot) < Date.parse(prevSlot))) lastSlot.set(r.notification, i);
  });
  const lastSlots = new Set(lastSlot.values());
  const known = new Set(['intent', 'sent', 'refused', 'outcome', 'slot']);
  return records.map((r, i) => {
    const rec = r as { type: string; key?: unknown; ts?: unknown };
    if (!known.has(rec.type)) return true;
    if (typeof rec.key === 'string' && keptKeys.has(rec.key)) return true;
    if (lastSlots.has(i)) return true;
    return typeof rec.ts === 'string' && rec.ts >= fromTs;
  });
}

/** Counts, days and last slots of a list of records (the file backend's status; PostgreSQL asks the database). */
export function summarize(records: LedgerRecord[]): Pick<StateStatus, 'records' | 'byType' | 'firstDay' | 'lastDay' | 'lastSlots'> {
  const byType: Record<string, number> = {};
  let firstDay: string | null = null;
  let lastDay: string | null = null;
  const slots = new Map<string, string>();
  for (const r of records) {
    const type = String((r as { type: unknown }).type);
    byType[type] = (byType[type] ?? 0) + 1;
    if (r.type === 'intent' && typeof r.day === 'string') {
      if (firstDay === null || r.day < firstDay) firstDay = r.day;
      if (lastDay === null || r.day > lastDay) lastDay = r.day;
    }
    if (r.type === 'slot') {
      const prev = slots.get(r.notification);
      if (prev === undefined || Date.parse(r.slot) > Date.parse(prev)) slots.set(r.notification, r.slot);
    }
  }
  const lastSlots = [...slots].sort(([a], [b]) => a.localeCompare(b)).map(([notification, slot]) => ({ notification, slot }));
  return { records: records.length, byType, firstDay, lastDay, lastSlots };
}
