import type { LedgerRecord } from '../core/send/records.js';
import { ledgerFile, lockFile, openLedgerFile, readLedgerFile, type LedgerWriter } from './state/file.js';
import { acquireFileLock } from './state/fileLock.js';

export { ledgerFile, type LedgerWriter } from './state/file.js';

/** The ledger's records: what they mean is the send code's (core/send/records.ts); how they are stored is `state/`'s. */
export type { LedgerEntry, LedgerRecord } from '../core/send/records.js';
export { ledgerView } from '../core/send/ledgerView.js';

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
