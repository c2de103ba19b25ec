import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireFileLock, whoAmI } from '../../src/io/state/fileLock.js';
import { openLedgerFile, parseLedger, readLedgerFile } from '../../src/io/state/file.js';
import { StateError } from '../../src/io/state/types.js';

const work = mkdtempSync(join(tmpdir(), 'dingcast-state-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => {
  const d = join(work, `p${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const intent = (key: string, recipients = ['user:zhangsan']) => ({ type: 'intent' as const, run: 'r1', key, notification: 'note', sha256: 'abc', day: '2026-11-26', recipients });

describe('the file ledger', () => {
  it('cuts a torn last record off before appending, so the next record is not swallowed', async () => {
    const file = join(fresh(), 'ledger.jsonl');
    writeFileSync(file, JSON.stringify({ v: 1, ts: 't', ...intent('k1') }) + '\n' + '{"v":1,"type":"intent","ru');
    const before = await readLedgerFile(file);
    expect(before.records).toHaveLength(1);
    expect(before.warnings.join()).toMatch(/line 2: a torn last record/);
    const w = await openLedgerFile(file);
    expect(await w.append(intent('k2', ['user:lisi']))).toEqual({ claimed: ['user:lisi'] });
    await w.close();
    const after = await readLedgerFile(file);
    expect(after.records.map((r) => (r as { key: string }).key)).toEqual(['k1', 'k2']);
    expect(after.warnings).toEqual([]);
    expect(readFileSync(`${file}.torn`, 'utf8')).toBe('{"v":1,"type":"intent","ru');
  });

  it('recovers a record an older dingcast glued behind a torn one', () => {
    const glued = '{"v":1,"type":"inte' + JSON.stringify({ v: 1, ts: 't', ...intent('k9') });
    const read = parseLedger(glued + '\n', 'ledger.jsonl');
    expect(read.records.map((r) => (r as { key: string }).key)).toEqual(['k9']);
    expect(read.warnings.join()).toMatch(/ledger\.jsonl line 1: a torn record/);
  });

  it('refuses an unreadable line in the middle with its line number (it could be an intent)', () => {
    const text = [JSON.stringify({ v: 1, ts: 't', ...intent('k1') }), 'garbage here', JSON.stringify({ v: 1, ts: 't', ...intent('k2') }), ''].join('\n');
    expect(() => parseLedger(text, 'ledger.jsonl')).toThrow(StateError);
    expect(() => parseLedger(text, 'ledger.jsonl')).toThrow(/ledger\.jsonl line 2 is not a ledger record: garbage here/);
  });
});

// A full disk needs a small mount: only root can make one, so other users see this skipped by name.
const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)('a full disk (a 64 KiB tmpfs; needs root)', () => {
  const mnt = join(work, 'tiny');
  afterAll(() => {
    try {
      execFileSync('umount', [mnt]);
    } catch {
      // never mounted
    }
  });

  it('an append that does not fit rejects, the file still ends on a whole record, and later appends work again', async () => {
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
    const file = join(mnt, 'ledger.jsonl');
    const w = await openLedgerFile(file);
    await w.append(intent('k1'));
    // Fill the disk up to a few hundred bytes.
    const filler = join(mnt, 'filler');
    let size = 60 * 1024;
    for (;;) {
      try {
        writeFileSync(filler, Buffer.alloc(size));
        size += 256;
      } catch {
        break;
      }
    }
    const many = Array.from({ length: 400 }, (_, i) => `user:u${i}`);
    const failed = await w.append(intent('k2', many)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(StateError);
    expect(String((failed as Error).message)).toMatch(/disk is full|could not be written/);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(parseLedger(text, file).records).toHaveLength(1);
    rmSync(filler);
    await w.append(intent('k3'));
    await w.close();
    expect((await readLedgerFile(file)).records.map((r) => (r as { key: string }).key)).toEqual(['k1', 'k3']);
  });
});
if (!isRoot) console.warn('skipped: the full-disk ledger test needs root (it mounts a 64 KiB tmpfs)');

describe('the lock file', () => {
  it('takes over a lock of a process that is gone (same pid namespace), and not one that is alive', async () => {
    const dir = fresh();
    const path = join(dir, 'lock');
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(path, JSON.stringify({ v: 2, run: 'old', token: 't', ...whoAmI(), pid: dead.pid, start: '1', since: 'x' }));
    const lock = await acquireFileLock(path, 'new', 0);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ run: 'new', pid: process.pid });
    await expect(acquireFileLock(path, 'third', 0)).rejects.toThrow(/another dingcast run \(new, pid \d+\) is sending/);
    await lock.release();
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('the pid alone is not enough: same pid with another start time is a reused pid, hence stale', async () => {
    const path = join(fresh(), 'lock');
    writeFileSync(path, JSON.stringify({ v: 2, run: 'old', token: 't', ...whoAmI(), start: '0', since: 'x' }));
    const lock = await acquireFileLock(path, 'new', 0);
    await lock.release();
  });

  it('a lock from another container counts until its heartbeat is one TTL old', async () => {
    const path = join(fresh(), 'lock');
    writeFileSync(path, JSON.stringify({ v: 2, run: 'pod-a', token: 't', ...whoAmI(), pid: 1, pid_ns: 'pid:[1]', since: 'x' }));
    await expect(acquireFileLock(path, 'pod-b', 0, { DINGCAST_LEASE_TTL: '30' })).rejects.toThrow(/pod-a, pid 1/);
    const old = new Date(Date.now() - 31_000);
    utimesSync(path, old, old);
    const lock = await acquireFileLock(path, 'pod-b', 0, { DINGCAST_LEASE_TTL: '30' });
    await lock.release();
  });

  it('an empty or damaged lock file is recovered once it is a few seconds old', async () => {
    const path = join(fresh(), 'lock');
    writeFileSync(path, '');
    await expect(acquireFileLock(path, 'a', 0)).rejects.toThrow(/another dingcast run is sending/);
    const old = new Date(Date.now() - 10_000);
    utimesSync(path, old, old);
    const lock = await acquireFileLock(path, 'a', 0);
    await lock.release();
    writeFileSync(path, '{"pid": 12, "ru');
    utimesSync(path, old, old);
    await (await acquireFileLock(path, 'b', 0)).release();
  });

  it('a holder whose lock was taken over is fenced: its next append throws and writes nothing', async () => {
    const dir = fresh();
    const path = join(dir, 'lock');
    const lock = await acquireFileLock(path, 'slow', 0);
    const w = await openLedgerFile(join(dir, 'ledger.jsonl'), { fence: () => lock.check() });
    await w.append(intent('k1'));
    writeFileSync(path, JSON.stringify({ v: 2, run: 'other', token: 'z', ...whoAmI(), since: 'x' }));
    await expect(w.append(intent('k2'))).rejects.toThrow(/another dingcast run took over the lock/);
    await w.close();
    expect((await readLedgerFile(join(dir, 'ledger.jsonl'))).records).toHaveLength(1);
    await lock.release();
    expect(existsSync(path)).toBe(true); // not ours any more: left alone
  });

  it('eight processes racing one stale lock: exactly one gets it', async () => {
    const dir = fresh();
    const path = join(dir, 'lock');
    writeFileSync(path, JSON.stringify({ v: 2, run: 'dead', token: 't', ...whoAmI(), pid: 999_999_999, since: 'x' }));
    const latch = join(dir, 'go');
    const script = `
      import { acquireFileLock } from ${JSON.stringify(new URL('../../dist/io/state/fileLock.js', import.meta.url).href)};
      import { existsSync } from 'node:fs';
      try {
        const lock = await acquireFileLock(${JSON.stringify(path)}, 'r' + process.pid, 0);
        console.log('got');
        // Hold it until the parent saw every other runner's answer.
        while (!existsSync(${JSON.stringify(latch)})) await new Promise((r) => setTimeout(r, 20));
        await lock.release();
      } catch (e) { console.log('refused ' + e.message); }`;
    const answers: string[] = [];
    const children = Array.from({ length: 8 }, () => {
      const c = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.endsWith('\n')) answers.push(out.trim());
      });
      return new Promise((r) => c.on('exit', r));
    });
    // Waiting on observable state: every runner has said whether it got the lock.
    while (answers.length < 8) await new Promise((r) => setTimeout(r, 20));
    writeFileSync(latch, '');
    await Promise.all(children);
    expect(answers.filter((a) => a === 'got')).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('refused another dingcast run'))).toHaveLength(7);
  });
});
