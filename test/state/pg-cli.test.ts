import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { allLedgersText, runCli, startCli } from '../helpers/cli.js';
import { freshDatabase, pgUrl, query } from '../helpers/postgres.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { scheduledProject } from '../schedule/_project.js';
import { textProject } from '../send/_project.js';

let sandbox: SandboxProcess | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** Wait on state we can observe (a row in the database), never on time. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('DINGCAST_STATE unreachable', () => {
  it('exits 2, makes no call and never prints the password', async () => {
    const dir = textProject(['zhangsan']);
    sandbox = await startSandboxProcess({ projectDir: dir });
    const r = await runCli(['send', 'note', '--project', dir], { env: { ...sandbox.env, DINGCAST_STATE: 'postgres://dingcast:Top-s3cret@127.0.0.1:1/dingcast' } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/cannot reach the state database \(postgres:\/\/dingcast@127\.0\.0\.1:1\/dingcast/);
    expect(r.stdout + r.stderr).not.toContain('Top-s3cret');
    expect((await sandbox.admin.calls()).calls.asyncsend_v2 ?? 0).toBe(0);
    expect(allLedgersText(dir)).toBe('');
  });
});

describe.skipIf(!pgUrl)('many runners, one PostgreSQL state', () => {
  it('three runners with no shared disk racing one schedule slot: each user gets it once', async () => {
    const url = await freshDatabase();
    const copies = [0, 1, 2].map(() => scheduledProject([['standup', '0 9 * * 1-5', '', 'zhangsan, lisi']]));
    sandbox = await startSandboxProcess({ projectDir: copies[0] });
    const env = { ...sandbox.env, DINGCAST_STATE: url };
    const runs = await Promise.all(copies.map((dir) => runCli(['send', '--due', '--at', '2026-03-02T09:01:00+08:00', '--project', dir, '--lock-wait', '60', '--no-wait'], { env, timeoutMs: 60_000 })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    expect(runs.filter((r) => /due: standup/.test(r.stderr))).toHaveLength(1);
    const tasks = await sandbox.admin.tasks();
    expect(tasks).toHaveLength(1);
    expect((await sandbox.admin.calls()).calls.asyncsend_v2).toBe(1);
    for (const dir of copies) expect(allLedgersText(dir)).toBe('');
    expect(await query(url, `SELECT count(*)::int AS n FROM dingcast_ledger WHERE type = 'slot'`)).toEqual([{ n: 1 }]);
  });

  it('the holder killed mid-send: another with --lock-wait takes over within one TTL and finishes, nobody lost or twice', async () => {
    const url = await freshDatabase();
    const dir = textProject(['zhangsan', 'lisi']);
    const other = textProject(['zhangsan', 'lisi']);
    sandbox = await startSandboxProcess({ projectDir: dir, faults: [{ kind: 'hold', name: 'mid-send', phase: 'after', endpoint: 'asyncsend_v2', count: 1 }] });
    const env = { ...sandbox.env, DINGCAST_STATE: url, DINGCAST_LEASE_TTL: '2' };
    const first = startCli(['send', 'note', '--project', dir], { env });
    await sandbox.admin.waitHeld('mid-send', 1, 90_000);
    first.child.kill('SIGKILL');
    await first.done;
    await sandbox.admin.release('mid-send');
    // The TTL is each holder's own: the dead one's is short, the taker's long enough for a loaded machine's heartbeat.
    const second = await runCli(['send', 'note', '--project', other, '--lock-wait', '30'], { env: { ...env, DINGCAST_LEASE_TTL: '10' } });
    expect(second.code, second.stderr).toBe(0);
    await until(async () => Object.keys(await sandbox!.admin.inboxCounts()).length === 2, 'both inboxes');
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
  });

  it('the holder paused past its TTL: its next write is fenced and it stops (exit 2); nobody gets it twice', async () => {
    const url = await freshDatabase();
    const dir = textProject(['zhangsan']);
    const other = textProject(['zhangsan']);
    sandbox = await startSandboxProcess({ projectDir: dir, faults: [{ kind: 'hold', name: 'paused', phase: 'after', endpoint: 'asyncsend_v2', count: 1 }] });
    // Long enough that a loaded machine does not lose the lease before the first call (it would then stop, fenced,
    // before sending: correct, but not what this test is about); the wait below observes the expiry, whatever it is.
    const env = { ...sandbox.env, DINGCAST_STATE: url, DINGCAST_LEASE_TTL: '3' };
    const first = startCli(['send', 'note', '--project', dir], { env });
    await sandbox.admin.waitHeld('paused', 1, 90_000);
    first.child.kill('SIGSTOP');
    // Observable: the lease has expired by the server's clock.
    await until(async () => (await query<{ expired: boolean }>(url, `SELECT expires_at < now() AS expired FROM dingcast_lease`))[0]?.expired === true, 'the lease to expire');
    const second = await runCli(['send', 'note', '--project', other, '--lock-wait', '30'], { env: { ...env, DINGCAST_LEASE_TTL: '10' } });
    expect(second.code, second.stderr).toBe(0);
    await sandbox.admin.release('paused');
    first.child.kill('SIGCONT');
    const r = await first.done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/lease .* expired or was taken over/);
    await until(async () => (await sandbox!.admin.inboxCounts()).zhangsan !== undefined, 'the inbox');
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
  });
});

/** libfaketime (Debian's `faketime`, installed by .ci/run) shifts one process's wall clock: a runner whose clock is off. */
const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
const haveFaketime = existsSync(FAKETIME_LIB);
if (pgUrl && !haveFaketime) console.warn('skipped: the --due clock-skew test (no libfaketime; install Debian\'s faketime, .ci/run does)');

describe.skipIf(!pgUrl || !haveFaketime)('a runner whose clock is far from the database\'s', () => {
  it('send --due refuses (exit 2) and fires nothing; the same runner with a true clock fires the slot', async () => {
    const url = await freshDatabase();
    const dir = scheduledProject([['standup', '0 9 * * 1-5', '', 'zhangsan']]);
    sandbox = await startSandboxProcess({ projectDir: dir });
    const args = ['send', '--due', '--at', '2026-03-02T09:01:00+08:00', '--project', dir, '--no-wait'];
    // Five minutes behind (the monotonic clock, and so timers, untouched).
    const skewed = await runCli(args, { env: { ...sandbox.env, DINGCAST_STATE: url, LD_PRELOAD: FAKETIME_LIB, FAKETIME: '-300s', FAKETIME_DONT_FAKE_MONOTONIC: '1' } });
    expect(skewed.code, skewed.stderr).toBe(2);
    expect(skewed.stderr).toMatch(/this machine's clock is (29\d|30\d) s behind the state database's; --due refuses/);
    expect((await sandbox.admin.calls()).calls.asyncsend_v2 ?? 0).toBe(0);
    expect(await query(url, `SELECT count(*)::int AS n FROM dingcast_ledger`)).toEqual([{ n: 0 }]);
    const ahead = await runCli(args, { env: { ...sandbox.env, DINGCAST_STATE: url, LD_PRELOAD: FAKETIME_LIB, FAKETIME: '+120s', FAKETIME_DONT_FAKE_MONOTONIC: '1' } });
    expect(ahead.code).toBe(2);
    expect(ahead.stderr).toMatch(/clock is (11\d|12\d) s ahead of the state database's/);
    const fine = await runCli(args, { env: { ...sandbox.env, DINGCAST_STATE: url } });
    expect(fine.code, fine.stderr).toBe(0);
    expect((await sandbox.admin.calls()).calls.asyncsend_v2).toBe(1);
    expect(await query(url, `SELECT count(*)::int AS n FROM dingcast_ledger WHERE type = 'slot'`)).toEqual([{ n: 1 }]);
  });
});
