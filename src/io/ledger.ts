import type { DeliveryRecord, LedgerView } from '../core/send/ledgerView.js';
import { ledgerFile, lockFile, openLedgerFile, readLedgerFile, type LedgerWriter } from './state/file.js';
import { acquireFileLock } from './state/fileLock.js';

export { DINGTALK_TARGET, ledgerFile, stateDir, type LedgerWriter } from './state/file.js';

/** The ledger's records (what they mean is the send code's; how they are stored is `state/`'s). */
export type LedgerRecord =
  | { v: 1; type: 'intent'; ts: string; run: string; key: string; notification: string; sha256: string; day: string; recipients: string[] }
  | { v: 1; type: 'sent'; ts: string; run: string; key: string; task_id: number }
  | { v: 1; type: 'refused'; ts: string; run: string; key: string; errcode?: number; errmsg: string }
  | { v: 1; type: 'slot'; ts: string; run: string; notification: string; slot: string };

export type LedgerEntry = LedgerRecord extends infer R ? (R extends { ts: string; v: 1 } ? Omit<R, 'ts' | 'v'> : never) : never;

/** Who got which content on which day; an intent without an answer counts as `unknown`, a refused call as nothing. */
export function ledgerView(records: LedgerRecord[]): LedgerView {
  // An answer belongs to the run that got it; the same call (key) may have been tried by several runs.
  const outcome = new Map<string, { state: 'sent' | 'refused'; task_id?: number; run: string }>();
  for (const r of records) {
    if (r.type === 'sent') outcome.set(r.key, { state: 'sent', task_id: r.task_id, run: r.run });
    else if (r.type === 'refused' && outcome.get(r.key)?.state !== 'sent') outcome.set(r.key, { state: 'refused', run: r.run });
  }
  const deliveries: DeliveryRecord[] = [];
  const seen = new Set<string>();
  for (const r of records) {
    if (r.type !== 'intent' || seen.has(`${r.key}|${r.run}`)) continue;
    seen.add(`${r.key}|${r.run}`);
    const o = outcome.get(r.key);
    if (o?.state === 'refused') continue;
    // Only the delivering run's intent counts once there is an answer; earlier unanswered tries of it do not.
    if (o && o.run !== r.run && records.some((x) => x.type === 'intent' && x.key === r.key && x.run === o.run)) continue;
    for (const recipient of r.recipients) {
      const d: DeliveryRecord = { run: o?.run ?? r.run, notification: r.notification, sha256: r.sha256, day: r.day, recipient, state: o ? 'sent' : 'unknown' };
      if (o?.task_id !== undefined) d.task_id = o.task_id;
      deliveries.push(d);
    }
  }
  return { deliveries };
}

/**
 * Storage lives in `state/` (files or PostgreSQL). These keep the older entry points working for callers that
 * know only a project folder and a target: they use the `.dingcast/` files.
 */
export async function readLedger(projectDir: string, target?: string): Promise<{ records: LedgerRecord[]; sha256: string; warnings: string[] }> {
  return readLedgerFile(ledgerFile(projectDir, target));
}

export async function openLedger(projectDir: string, target?: string): Promise<LedgerWriter> {
  return openLedgerFile(ledgerFile(projectDir, target));
}

export async function acquireLock(projectDir: string, runId: string, waitMs: number): Promise<() => Promise<void>> {
  const lock = await acquireFileLock(lockFile(projectDir), runId, waitMs);
  return () => lock.release();
}
