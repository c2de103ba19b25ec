import { createHash } from 'node:crypto';
import { mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { writeFileAtomically } from '../atomicFile.js';
import { DINGTALK_BASE_URL } from '../dingtalk/baseUrl.js';
import type { LedgerEntry, LedgerRecord } from '../ledger.js';
import { summarize } from './compact.js';
import { acquireFileLock, describeLock, forceUnlock, type FileLock } from './fileLock.js';
import { stateFsError } from './fsState.js';
import { StateError, type AppendResult, type LedgerRead, type Lock, type StateStore } from './types.js';

/**
 * `.dingcast/ledger*.jsonl`: one JSON record per line, appended and flushed to disk before each call goes out,
 * so a run killed at any point loses nothing. A crash can only tear the last line; the next writer cuts it off
 * (its append never resolved, so its call was never made) before appending, so it cannot swallow a new record.
 */

export function stateDir(projectDir: string): string {
  return join(projectDir, '.dingcast');
}

/**
 * One ledger per place messages go: DingTalk itself (`ledger.jsonl`), the in-process sandbox of `send --sandbox`
 * (`ledger.sandbox.jsonl`), or any other base URL such as a `dingcast sandbox` (`ledger.127.0.0.1-8787.jsonl`).
 * Trying the sandbox must never make a real send skip recipients as "already sent today".
 */
export function ledgerFile(projectDir: string, target: string = DINGTALK_BASE_URL): string {
  const name = target === DINGTALK_BASE_URL ? 'ledger' : `ledger.${target.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-|-$/g, '')}`;
  return join(stateDir(projectDir), `${name}.jsonl`);
}

export function lockFile(projectDir: string): string {
  return join(stateDir(projectDir), 'lock');
}

/**
 * Parse a ledger file. A torn last line (no newline after it: a crash mid-append) is skipped with a warning.
 * Any other unreadable line is an error naming its line number: it could be an intent, and skipping it would
 * plan its recipients again (a double send). A record glued behind a torn line by an older dingcast that did not
 * repair tails (`{"v":1,"ty{"v":1,...}`) is recovered.
 */
export function parseLedger(text: string, file: string): LedgerRead {
  const records: LedgerRecord[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const torn = i === lines.length - 1; // no newline after it
    const record = parseRecord(line);
    if (record) return void records.push(record);
    const glued = line.lastIndexOf('{"v":');
    const rest = glued > 0 ? parseRecord(line.slice(glued)) : undefined;
    if (rest) {
      records.push(rest);
      warnings.push(`${file} line ${i + 1}: a torn record from a crash was skipped (the record after it on the line was kept)`);
      return;
    }
    if (torn) return void warnings.push(`${file} line ${i + 1}: a torn last record from a crash was skipped (its call was never made)`);
    throw new StateError(`${file} line ${i + 1} is not a ledger record: ${line.length > 80 ? `${line.slice(0, 80)}…` : line}`, 'The ledger is damaged (edited by hand?). Restore it from a backup, or delete that line if you know it is not a record of a call; nothing was sent.');
  });
  return { records, warnings, sha256: createHash('sha256').update(text).digest('hex') };
}

function parseRecord(line: string): LedgerRecord | undefined {
  try {
    const r = JSON.parse(line) as unknown;
    if (r !== null && typeof r === 'object' && !Array.isArray(r) && typeof (r as { type?: unknown }).type === 'string') return r as LedgerRecord;
  } catch {
    // not JSON: the caller decides what that means
  }
  return undefined;
}

export async function readLedgerFile(file: string): Promise<LedgerRead> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return parseLedger('', file);
    throw stateFsError(e, `cannot read the ledger ${file}`, 'Nothing was sent.');
  }
  return parseLedger(text, file);
}

export interface LedgerWriter {
  append(entry: LedgerEntry): Promise<AppendResult>;
  close(): Promise<void>;
}

export interface WriterOptions {
  /** Checked before each flush: throws when this run no longer holds the lock (its lock file was taken over). */
  fence?: () => Promise<void>;
}

/**
 * Appends resolve only once their record is on disk. Records that arrive while a flush is running are written
 * and synced together in the next one (group commit), so concurrent calls share one fsync instead of queueing.
 * Every byte is checked: a short write is continued, and a failed one (disk full, read-only) is cut back off the
 * file so it cannot tear the next record, and the append rejects so its call is not made.
 */
export async function openLedgerFile(file: string, opts: WriterOptions = {}): Promise<LedgerWriter> {
  await mkdir(join(file, '..'), { recursive: true }).catch((e: unknown) => {
    throw stateFsError(e, `cannot create ${join(file, '..')}`, 'Nothing was sent.');
  });
  let fh: FileHandle;
  try {
    fh = await open(file, 'a+');
  } catch (e) {
    throw stateFsError(e, `cannot open the ledger ${file} for writing`, 'Nothing was sent.');
  }
  let size = await repairTail(fh, file);
  let waiting: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;
  let broken: StateError | undefined;
  const flush = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        if (broken) throw broken;
        await opts.fence?.();
        const buf = Buffer.from(batch.map((b) => b.line).join(''));
        await writeAll(fh, buf, size);
        await fh.datasync();
        size += buf.length;
        batch.forEach((b) => b.done());
      } catch (e) {
        const error = stateFsError(e, `the ledger ${file} could not be written`, 'The call this record announced was not made; the run stops.');
        // Cut back what part of the batch made it, so the file ends on a whole record again.
        await fh.truncate(size).catch(() => (broken = new StateError(`the ledger ${file} has a partial record at its end and cannot be repaired now: ${error.message}`, error.hint)));
        batch.forEach((b) => b.fail(error));
      }
    }
    flushing = undefined;
  };
  let closed = false;
  return {
    append(entry) {
      if (closed) return Promise.reject(new StateError(`the ledger ${file} is closed`));
      return new Promise<AppendResult>((done, fail) => {
        const line = JSON.stringify({ v: 1, ts: new Date().toISOString(), ...entry }) + '\n';
        // The lock makes this run the only writer, so an intent claims all its recipients.
        const result: AppendResult = entry.type === 'intent' ? { claimed: [...entry.recipients] } : {};
        waiting.push({ line, done: () => done(result), fail });
        flushing ??= flush();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      await flushing;
      await fh.close();
    },
  };
}

/** Write every byte at `position` (appends ignore it, but a retry after a short write must continue, not repeat). */
async function writeAll(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < buf.length) {
    const { bytesWritten } = await fh.write(buf, offset, buf.length - offset, position + offset);
    if (bytesWritten <= 0) throw new StateError(`short write: ${offset} of ${buf.length} bytes reached the disk`, 'The disk is probably full; free some space. Nothing more was sent.');
    offset += bytesWritten;
  }
}

/** A file that does not end in a newline ends in a torn record: cut it off (keeping it in a side file for a person). */
async function repairTail(fh: FileHandle, file: string): Promise<number> {
  const { size } = await fh.stat();
  if (size === 0) return 0;
  const last = Buffer.alloc(1);
  await fh.read(last, 0, 1, size - 1);
  if (last[0] === 0x0a) return size;
  const text = await fh.readFile();
  const keep = text.lastIndexOf(0x0a) + 1;
  const { writeFile } = await import('node:fs/promises');
  await writeFile(`${file}.torn`, text.subarray(keep), { flag: 'a' }).catch(() => undefined);
  await fh.truncate(keep);
  await fh.datasync();
  return keep;
}

/** The embedded default: a ledger file per target beside the project, one lock per project. */
export function fileStore(projectDir: string, target?: string): StateStore {
  const file = ledgerFile(projectDir, target);
  let lock: FileLock | undefined;
  let writer: Promise<LedgerWriter> | undefined;
  return {
    backend: 'file',
    where: file,
    read: () => readLedgerFile(file),
    async lock(runId, waitMs): Promise<Lock> {
      lock = await acquireFileLock(lockFile(projectDir), runId, waitMs);
      return lock;
    },
    append(entry) {
      writer ??= openLedgerFile(file, lock ? { fence: () => (lock as FileLock).check() } : {});
      return writer.then((w) => w.append(entry));
    },
    async close() {
      const w = writer;
      writer = undefined;
      try {
        // A writer that failed to open has nothing to close; its error already reached the append that asked.
        await (await w?.catch(() => undefined))?.close();
      } finally {
        await lock?.release();
      }
    },
    async status() {
      const read = await readLedgerFile(file);
      const bytes = await stat(file).then((s) => s.size, () => 0);
      return { backend: 'file', where: file, lock: (await describeLock(lockFile(projectDir))) ?? null, bytes, ...summarize(read.records) };
    },
    forceUnlock: () => forceUnlock(lockFile(projectDir)),
    importRecords() {
      return Promise.reject(new UserError('`dingcast state import` moves a file ledger into PostgreSQL, but DINGCAST_STATE is not set', 'Set DINGCAST_STATE=postgres://… (from your secret store) and run it again; the .dingcast/ files are already this project\'s state.'));
    },
    async compact(keep) {
      const { records } = await readLedgerFile(file);
      const mask = keep(records);
      const kept = records.filter((_, i) => mask[i]);
      if (kept.length === records.length) return { kept: kept.length, removed: 0 };
      await lock?.check();
      await replaceFile(file, kept.map((r) => JSON.stringify(r) + '\n').join(''));
      return { kept: kept.length, removed: records.length - kept.length };
    },
  };
}

/** A whole new ledger replaces the old one at once: a crash leaves the old or the new file, never half of one. */
async function replaceFile(file: string, text: string): Promise<void> {
  await writeFileAtomically(file, text).catch((e: unknown) => {
    throw stateFsError(e, `cannot rewrite the ledger ${file}`, 'The ledger was left as it was.');
  });
}
