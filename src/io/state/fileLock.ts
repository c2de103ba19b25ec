import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { link, mkdir, open, readFile, rm, stat, unlink, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { UserError } from '../../errors.js';
import { stateFsError } from './fsState.js';
import { StateError, type Lock, type LockHolder } from './types.js';

/**
 * `.dingcast/lock`: one sending run per project at a time.
 *
 * The holder is known by more than its pid, because in a container every run is PID 1: the lock records the host,
 * the kernel's boot id, the pid namespace, the pid and the process's start time. A lock written in our own pid
 * namespace of this boot is stale as soon as that process (that pid *with that start time*) is gone. A lock from
 * elsewhere (another container, another machine on a shared disk) cannot be checked that way, so the holder
 * touches the file every TTL/3 and a lock untouched for one TTL is stale: a dead pod holds it at most one TTL.
 *
 * Taking a lock is atomic: the content is written to a private file first and then hard-linked to `lock`, which
 * fails if `lock` exists (never an empty or half-written lock). Taking over a stale one happens under a second
 * link-created file, `lock.takeover`, whose holder re-reads the lock and removes it only if it is still the very
 * lock judged stale; then everyone races for `lock` again and exactly one link wins. Before each ledger flush the
 * holder checks that `lock` is still its own (a run paused past its TTL stops instead of writing).
 */
export interface Holder {
  v: 2;
  run: string;
  token: string;
  pid: number;
  host: string;
  boot_id?: string;
  pid_ns?: string;
  start?: string;
  since: string;
}

export interface FileLock extends Lock {
  /** Throws a StateError when this run no longer holds the lock. */
  check(): Promise<void>;
  readonly holder: Holder;
}

/** Seconds a lock from another container/host stays valid without a heartbeat. `DINGCAST_LEASE_TTL` overrides (tests). */
export function leaseTtlMs(env: NodeJS.ProcessEnv = process.env): number {
  const s = Number(env.DINGCAST_LEASE_TTL ?? '60');
  return Number.isFinite(s) && s > 0 ? s * 1000 : 60_000;
}

/** How long a damaged (empty, unparseable) lock must be left alone before it counts as stale: a writer from an old dingcast may be mid-write. */
const DAMAGED_GRACE_MS = 5_000;

export async function acquireFileLock(path: string, runId: string, waitMs: number, env: NodeJS.ProcessEnv = process.env): Promise<FileLock> {
  const ttl = leaseTtlMs(env);
  const me: Holder = { v: 2, run: runId, token: randomBytes(12).toString('hex'), ...whoAmI(), since: new Date().toISOString() };
  const text = JSON.stringify(me) + '\n';
  const deadline = Date.now() + waitMs;
  await mkdir(dirname(path), { recursive: true }).catch((e: unknown) => {
    throw stateFsError(e, `cannot create ${dirname(path)}`, 'Nothing was sent.');
  });
  for (;;) {
    if (await createExclusive(path, text)) return heldLock(path, me, text, ttl);
    const seen = await readLock(path);
    if (seen === undefined) continue; // released between our attempt and the read
    const verdict = judge(seen, ttl);
    if (verdict.stale) {
      await takeOver(path, seen.text);
      continue;
    }
    if (Date.now() >= deadline) {
      const h = seen.holder;
      const who = h ? ` (${h.run ?? 'unknown run'}, pid ${h.pid}${h.host && h.host !== hostname() ? ` on ${h.host}` : ''})` : '';
      throw new UserError(`another dingcast run${who} is sending from this project`, `Wait for it to finish (or pass --lock-wait SECONDS). ${verdict.why} If you are sure no run is going on: dingcast state unlock --force.`);
    }
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(1, deadline - Date.now()))));
  }
}

/** Remove the lock whoever holds it (`dingcast state unlock --force`). Returns the holder that was removed. */
export async function forceUnlock(path: string, env: NodeJS.ProcessEnv = process.env): Promise<LockHolder | undefined> {
  const seen = await describeLock(path, env);
  await rm(path, { force: true }).catch((e: unknown) => {
    throw stateFsError(e, `cannot remove the lock ${path}`, 'Remove it by hand, or fix the permissions of .dingcast/.');
  });
  return seen;
}

/** Who holds the lock, for `dingcast state status`: undefined when nobody does. */
export async function describeLock(path: string, env: NodeJS.ProcessEnv = process.env): Promise<LockHolder | undefined> {
  const seen = await readLock(path);
  if (!seen) return undefined;
  const verdict = judge(seen, leaseTtlMs(env));
  const h = seen.holder;
  const out: LockHolder = { stale: verdict.stale, why: verdict.stale ? 'its holder is gone; the next run takes it over' : verdict.why };
  if (h?.run) out.run = h.run;
  if (h?.pid !== undefined) out.holder = `${h.host ?? 'unknown host'} pid ${h.pid}`;
  if (h?.since) out.since = h.since;
  if (!h) out.why = `the lock file is damaged${verdict.stale ? '; the next run takes it over' : ''}`;
  return out;
}

export async function readLock(path: string): Promise<{ text: string; holder?: Partial<Holder>; mtimeMs: number } | undefined> {
  try {
    const fh = await open(path, 'r');
    try {
      const [text, st] = await Promise.all([fh.readFile('utf8'), fh.stat()]);
      let holder: Partial<Holder> | undefined;
      try {
        const parsed = JSON.parse(text) as unknown;
        if (parsed !== null && typeof parsed === 'object' && typeof (parsed as Holder).pid === 'number') holder = parsed;
      } catch {
        // damaged: judged by its age below
      }
      return { text, mtimeMs: st.mtimeMs, ...(holder ? { holder } : {}) };
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw stateFsError(e, `cannot read the lock ${path}`, 'Nothing was sent.');
  }
}

function judge(seen: { holder?: Partial<Holder>; mtimeMs: number }, ttl: number): { stale: boolean; why: string } {
  const age = Date.now() - seen.mtimeMs;
  const h = seen.holder;
  if (!h) return { stale: age > DAMAGED_GRACE_MS, why: 'The lock file is damaged; it is taken over after a few seconds.' };
  const self = whoAmI();
  const sameProcessSpace = h.host === self.host && h.boot_id !== undefined && h.boot_id === self.boot_id && h.pid_ns === self.pid_ns;
  if (sameProcessSpace && h.pid !== undefined) {
    const alive = isAlive(h.pid) && (h.start === undefined || startTimeOf(h.pid) === h.start);
    return { stale: !alive, why: 'Its process is running on this machine.' };
  }
  // Another container or machine (or a lock from an older dingcast, which only knew pids): trust the heartbeat.
  return { stale: age > ttl, why: `It is held from another container or machine; a holder that died lets go after ${Math.round(ttl / 1000)} s.` };
}

async function createExclusive(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, path);
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw e;
      // A file system without hard links: exclusive create, then write (a reader may briefly see it empty).
      return await createWx(path, text);
    }
  } catch (e) {
    throw stateFsError(e, `cannot create the lock ${path}`, 'Nothing was sent.');
  } finally {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

async function createWx(path: string, text: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(text);
    await fh.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Remove `path` only if it still holds `staleText`, and only one runner at a time (the one that created `lock.takeover`). */
async function takeOver(path: string, staleText: string): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await createExclusive(guard, `${process.pid}\n`))) {
    // Someone else is taking over. A guard left by a runner that died in these few lines is cleared after a while.
    const g = await stat(guard).catch(() => undefined);
    if (g && Date.now() - g.mtimeMs > DAMAGED_GRACE_MS) await unlink(guard).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === staleText) await unlink(path).catch(() => undefined);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

function heldLock(path: string, me: Holder, text: string, ttl: number): FileLock {
  const ours = async (): Promise<boolean> => (await readFile(path, 'utf8').catch(() => undefined)) === text;
  const beat = setInterval(() => {
    void ours().then((yes) => (yes ? utimes(path, new Date(), new Date()) : undefined)).catch(() => undefined);
  }, Math.max(50, Math.floor(ttl / 3)));
  beat.unref();
  let released: Promise<void> | undefined;
  return {
    holder: me,
    async check() {
      if (released) throw new StateError('the run lock was released; nothing more is recorded');
      if (!(await ours())) throw new StateError('another dingcast run took over the lock of this project (this run was paused or too slow to renew it); stopping before the next call', 'Nothing more was sent by this run; the run that took over continues. Check its report.');
    },
    release() {
      released ??= (async () => {
        clearInterval(beat);
        if (await ours()) await unlink(path).catch(() => undefined);
      })();
      return released;
    },
  };
}

let cachedSelf: Omit<Holder, 'v' | 'run' | 'token' | 'since'> | undefined;

/** This process as a lock holder: host, boot, pid namespace, pid and start time (what Linux offers; less elsewhere). */
export function whoAmI(): Omit<Holder, 'v' | 'run' | 'token' | 'since'> {
  if (cachedSelf) return cachedSelf;
  const self: Omit<Holder, 'v' | 'run' | 'token' | 'since'> = { pid: process.pid, host: hostname() };
  const bootId = tryRead(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
  const pidNs = tryRead(() => readlinkSync('/proc/self/ns/pid'));
  const start = startTimeOf(process.pid);
  if (bootId) self.boot_id = bootId;
  if (pidNs) self.pid_ns = pidNs;
  if (start) self.start = start;
  return (cachedSelf = self);
}

/** Field 22 of /proc/PID/stat: start time in clock ticks since boot; a reused pid has another. */
function startTimeOf(pid: number): string | undefined {
  const stat = tryRead(() => readFileSync(`/proc/${pid}/stat`, 'utf8'));
  if (!stat) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function tryRead(f: () => string): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
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
