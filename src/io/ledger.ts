import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveryRecord, LedgerView } from '../core/send/ledgerView.js';
import { UserError } from '../errors.js';

/**
 * `.dingcast/ledger.jsonl`: one JSON record per line, appended and flushed to disk before each call goes out,
 * so a run killed at any point loses nothing. A crash can only tear the last line, which readers skip.
 */
export type LedgerRecord =
  | { v: 1; type: 'intent'; ts: string; run: string; key: string; notification: string; sha256: string; day: string; recipients: string[] }
  | { v: 1; type: 'sent'; ts: string; run: string; key: string; task_id: number }
  | { v: 1; type: 'refused'; ts: string; run: string; key: string; errcode?: number; errmsg: string }
  | { v: 1; type: 'slot'; ts: string; run: string; notification: string; slot: string };

export type LedgerEntry = LedgerRecord extends infer R ? (R extends { ts: string; v: 1 } ? Omit<R, 'ts' | 'v'> : never) : never;

export function stateDir(projectDir: string): string {
  return join(projectDir, '.dingcast');
}

export const DINGTALK_TARGET = 'https://oapi.dingtalk.com';

/**
 * One ledger per place messages go: DingTalk itself (`ledger.jsonl`), the in-process sandbox of `send --sandbox`
 * (`ledger.sandbox.jsonl`), or any other base URL such as a `dingcast sandbox` (`ledger.127.0.0.1-8787.jsonl`).
 * Trying the sandbox must never make a real send skip recipients as "already sent today".
 */
export function ledgerFile(projectDir: string, target: string = DINGTALK_TARGET): string {
  const name = target === DINGTALK_TARGET ? 'ledger' : `ledger.${target.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '')}`;
  return join(stateDir(projectDir), `${name}.jsonl`);
}

export async function readLedger(projectDir: string, target?: string): Promise<{ records: LedgerRecord[]; sha256: string }> {
  const text = await readFile(ledgerFile(projectDir, target), 'utf8').catch(() => '');
  const records: LedgerRecord[] = [];
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      const record = JSON.parse(line) as unknown;
      // Valid JSON that is not a record (`null`, a number, a list) was not written by dingcast: say where it is.
      if (record === null || typeof record !== 'object' || Array.isArray(record) || typeof (record as { type?: unknown }).type !== 'string') {
        throw new UserError(`${ledgerFile(projectDir, target)} line ${i + 1} is not a ledger record: ${line.slice(0, 60)}`, 'The ledger was edited by hand or damaged; restore it from a backup, or remove that line if you know what it held.');
      }
      records.push(record as LedgerRecord);
    } catch (e) {
      if (e instanceof UserError) throw e;
      // A torn last line from a crash: the call it described never got past its intent, which is already recorded.
    }
  }
  return { records, sha256: createHash('sha256').update(text).digest('hex') };
}

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

export interface LedgerWriter {
  append(entry: LedgerEntry): Promise<void>;
  close(): Promise<void>;
}

/**
 * Appends resolve only once their record is on disk. Records that arrive while a flush is running are written
 * and synced together in the next one (group commit), so concurrent calls share one fsync instead of queueing.
 */
export async function openLedger(projectDir: string, target?: string): Promise<LedgerWriter> {
  await mkdir(stateDir(projectDir), { recursive: true });
  const fh: FileHandle = await open(ledgerFile(projectDir, target), 'a');
  let waiting: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        await fh.write(batch.map((b) => b.line).join(''));
        await fh.datasync();
        batch.forEach((b) => b.done());
      } catch (e) {
        batch.forEach((b) => b.fail(e));
      }
    }
    flushing = undefined;
  };
  return {
    append(entry) {
      return new Promise<void>((done, fail) => {
        waiting.push({ line: JSON.stringify({ v: 1, ts: new Date().toISOString(), ...entry }) + '\n', done, fail });
        flushing ??= flush();
      });
    },
    async close() {
      await flushing;
      await fh.close();
    },
  };
}

/**
 * One run per project at a time. The lock file holds the owner's pid; a lock whose process is gone is stale and
 * taken over. A live one is waited for up to `waitMs`, then the run refuses with a clear message.
 */
export async function acquireLock(projectDir: string, runId: string, waitMs: number): Promise<() => Promise<void>> {
  await mkdir(stateDir(projectDir), { recursive: true });
  const path = join(stateDir(projectDir), 'lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fh = await open(path, 'wx');
      await fh.write(JSON.stringify({ pid: process.pid, run: runId, since: new Date().toISOString() }) + '\n');
      await fh.close();
      return () => rm(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readFile(path, 'utf8').then((t) => JSON.parse(t) as { pid: number; run: string }).catch(() => undefined);
    if (holder && !isAlive(holder.pid)) {
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new UserError(`another dingcast run${holder ? ` (${holder.run}, pid ${holder.pid})` : ''} is sending from this project`, 'Wait for it to finish (or pass --lock-wait SECONDS); if no such process exists, delete .dingcast/lock.');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
