import { UserError } from '../../errors.js';
import type { LedgerEntry, LedgerRecord } from '../ledger.js';

/**
 * Where dingcast keeps what it must remember between runs: the ledger (intents, answers, outcomes, fired slots)
 * and the lock that lets one run at a time send for a scope. Two implementations: `.dingcast/` files (the
 * embedded default, file.ts) and PostgreSQL (postgres.ts, for runners with no shared disk). Storage is generic
 * over the record union: the record types and what they mean belong to the send code (ledger.ts).
 */
export interface StateStore {
  readonly backend: 'file' | 'postgres';
  /** Where the state is, safe to print: never a password or a full connection string. */
  readonly where: string;
  /** The database server's clock minus ours (ms), where the store has a clock of its own. */
  readonly serverClockSkewMs?: number;
  /**
   * What planning needs. With `day`: that day's intents and their answers and outcomes, plus every
   * notification's last fired slot, every `media` record (uploaded media ids) and every `calls` record (the
   * monthly quota's counts); a store may return more, never less. Without: everything.
   */
  read(query?: ReadQuery): Promise<LedgerRead>;
  /**
   * Take the run lock (a lease) for `runId`, waiting up to `waitMs` for a live holder; a UserError when it stays
   * held. Appends made after this are fenced by it: once another run took it over, they throw instead of writing.
   */
  lock(runId: string, waitMs: number): Promise<Lock>;
  /**
   * Record one entry. Resolves only once it is durable (on disk / committed); throws a StateError when it is not
   * (disk full, short write, lock lost): the caller must then not make the call the entry announces.
   * For an intent, `claimed` lists the recipients (recipient keys) this run now owns; send only to those.
   */
  append(entry: LedgerEntry): Promise<AppendResult>;
  /** Flush and let go of files/connections. Releases the lock if still held. Safe to call twice. */
  close(): Promise<void>;
  /** `dingcast state status`: where the state is, who holds the lock, how big the ledger is. Prints no secret. */
  status(): Promise<StateStatus>;
  /** `dingcast state unlock --force`: let go of the lock whoever holds it (its holder is fenced off). The holder removed, if any. */
  forceUnlock(): Promise<LockHolder | undefined>;
  /** `dingcast state import`: add records of a file ledger (written with their own times); a record already there is not added twice. */
  importRecords(records: LedgerRecord[]): Promise<{ added: number; existing: number }>;
  /** `dingcast state compact`: keep only the records `keep` selects. Call it holding the lock. */
  compact(keep: (records: LedgerRecord[]) => boolean[]): Promise<{ kept: number; removed: number }>;
}

export interface LockHolder {
  run?: string;
  /** host and pid, as the holder wrote them. */
  holder?: string;
  since?: string;
  /** When a lease ends unless renewed (PostgreSQL: by the server's clock). */
  expiresAt?: string;
  /** Whether the next run may take it over now, and why. */
  stale: boolean;
  why?: string;
}

export interface StateStatus {
  backend: 'file' | 'postgres';
  where: string;
  scope?: string;
  schemaVersion?: number;
  lock: LockHolder | null;
  records: number;
  /** Records by type (intent, sent, refused, outcome, slot, …). */
  byType: Record<string, number>;
  bytes?: number;
  firstDay: string | null;
  lastDay: string | null;
  lastSlots: { notification: string; slot: string }[];
}

export interface ReadQuery {
  /** YYYY-MM-DD in the project's time zone: the day the plan is for. */
  day?: string;
}

export interface LedgerRead {
  records: LedgerRecord[];
  /** sha256 over what was read, so a saved plan can refuse a changed ledger. */
  sha256: string;
  /** Damage that was repaired or skipped safely (a torn last line), to be shown to the user. */
  warnings: string[];
}

export interface AppendResult {
  claimed?: string[];
}

export interface Lock {
  /** Give the lock back. Idempotent and safe from a signal handler while appends are in flight. */
  release(): Promise<void>;
}

/** The state could not be read or written safely: the run stops (exit 2) before making any call it cannot record. */
export class StateError extends UserError {}
