import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { freshDatabase, pgUrl, query } from '../helpers/postgres.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { textProject } from '../send/_project.js';

let sandbox: SandboxProcess | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A ledger as an older run left it: records of `day` (YYYY-MM-DD) written at `ts`. */
function records(day: string, ts: string, run: string, notification = 'note'): object[] {
  const key = `${run}-k`;
  return [
    { v: 1, ts, type: 'intent', run, key, notification, sha256: `sha-${day}`, day, recipients: ['user:zhangsan'] },
    { v: 1, ts, type: 'sent', run, key, task_id: 7 },
    { v: 1, ts, type: 'slot', run, notification, slot: `${day}T09:00:00+08:00` },
  ];
}

function writeLedger(dir: string, name: string, list: object[]): string {
  mkdirSync(join(dir, '.dingcast'), { recursive: true });
  const file = join(dir, '.dingcast', name);
  writeFileSync(file, list.map((r) => JSON.stringify(r) + '\n').join(''));
  return file;
}

const lines = (text: string): { type: string; run: string; day?: string; slot?: string }[] =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { type: string; run: string });

describe('dingcast state on the .dingcast/ files', () => {
  it('status: backend, lock, ledger size by type, last slots (--json too)', async () => {
    const dir = textProject(['zhangsan']);
    writeLedger(dir, 'ledger.jsonl', [...records('2026-11-20', '2026-11-20T01:00:00.000Z', 'r1'), ...records('2026-11-25', '2026-11-25T01:00:00.000Z', 'r2')]);
    const r = await runCli(['state', 'status', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backend\s+files\s+\S*\.dingcast\/ledger\.jsonl/);
    expect(r.stdout).toMatch(/lock\s+free/);
    expect(r.stdout).toMatch(/ledger\s+6 records \(intent 2, sent 2, slot 2\), [\d.]+ (B|KiB), days 2026-11-20 … 2026-11-25/);
    expect(r.stdout).toMatch(/note\s+2026-11-25T09:00:00\+08:00/);
    const j = await runCli(['state', 'status', '--json', '--project', dir]);
    const s = JSON.parse(j.stdout) as { backend: string; records: number; lastSlots: unknown[]; lock: unknown };
    expect(s).toMatchObject({ backend: 'file', records: 6, lock: null, lastSlots: [{ notification: 'note', slot: '2026-11-25T09:00:00+08:00' }] });
  });

  it('a lock held by a live process: send names `state unlock --force`, status shows the holder, unlock needs --force and then frees it', async () => {
    const dir = textProject(['zhangsan']);
    // This test's own process is alive on this machine: a lock in its name is held, not stale.
    mkdirSync(join(dir, '.dingcast'), { recursive: true });
    const me = { v: 2, run: 'held-run', token: 't', pid: process.pid, host: (await import('node:os')).hostname(), since: '2026-11-26T01:00:00.000Z' };
    writeFileSync(join(dir, '.dingcast', 'lock'), JSON.stringify(me) + '\n');
    const send = await runCli(['send', 'note', '--sandbox', '--project', dir]);
    expect(send.code).toBe(2);
    expect(send.stderr).toContain('dingcast state unlock --force');
    expect(send.stderr).not.toContain('delete .dingcast/lock');
    const status = await runCli(['state', 'status', '--project', dir]);
    expect(status.stdout).toMatch(/lock\s+held by held-run, \S+ pid \d+ since 2026-11-26T01:00:00.000Z/);
    const refused = await runCli(['state', 'unlock', '--project', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/needs --force/);
    expect(existsSync(join(dir, '.dingcast', 'lock'))).toBe(true);
    const forced = await runCli(['state', 'unlock', '--force', '--project', dir]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/released the lock of a run that looked alive \(held by held-run/);
    expect(existsSync(join(dir, '.dingcast', 'lock'))).toBe(false);
    const again = await runCli(['state', 'unlock', '--force', '--project', dir]);
    expect(again.stderr).toMatch(/the lock was free/);
    const sent = await runCli(['send', 'note', '--sandbox', '--no-wait', '--project', dir]);
    expect(sent.code, sent.stderr).toBe(0);
  });

  it('compact keeps the last 7 days, answers with their intents and each last slot; --dry-run changes nothing; fewer than 7 days refused', async () => {
    const dir = textProject(['zhangsan']);
    const old = records('2026-10-01', '2026-10-01T01:00:00.000Z', 'old');
    const older = records('2026-09-01', '2026-09-01T01:00:00.000Z', 'older', 'weekly');
    const recent = records('2026-11-24', '2026-11-24T01:00:00.000Z', 'recent');
    const file = writeLedger(dir, 'ledger.jsonl', [...older, ...old, ...recent, { v: 1, ts: '2026-09-02T00:00:00.000Z', type: 'future-kind', run: 'x' }]);
    const before = readFileSync(file, 'utf8');
    const dry = await runCli(['state', 'compact', '--dry-run', '--at', '2026-11-26T10:00:00+08:00', '--project', dir]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toMatch(/would remove 5 records older than 7 days/);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const bad = await runCli(['state', 'compact', '--keep-days', '3', '--project', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/at least 7/);
    const r = await runCli(['state', 'compact', '--at', '2026-11-26T10:00:00+08:00', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/removed 5 records older than 7 days .*; 5 records kept/);
    const kept = lines(readFileSync(file, 'utf8'));
    // 'weekly' fired last on 09-01: that slot stays so --due does not fire it again; the rest of 'older' and 'old' goes.
    expect(kept.map((k) => `${k.run}:${k.type}`)).toEqual(['older:slot', 'recent:intent', 'recent:sent', 'recent:slot', 'x:future-kind']);
    expect(existsSync(join(dir, '.dingcast', 'lock'))).toBe(false);
    expect(readdirSync(join(dir, '.dingcast')).filter((n) => n.includes('compact'))).toEqual([]);
  });

  it('export prints the ledger as JSONL; import without DINGCAST_STATE is a clear error', async () => {
    const dir = textProject(['zhangsan']);
    const list = records('2026-11-25', '2026-11-25T01:00:00.000Z', 'r1');
    writeLedger(dir, 'ledger.jsonl', list);
    const r = await runCli(['state', 'export', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout)).toEqual(list);
    const out = join(dir, 'backup.jsonl');
    await runCli(['state', 'export', '--out', out, '--project', dir]);
    expect(lines(readFileSync(out, 'utf8'))).toEqual(list);
    const imp = await runCli(['state', 'import', join(dir, '.dingcast', 'ledger.jsonl'), '--project', dir]);
    expect(imp.code).toBe(2);
    expect(imp.stderr).toMatch(/moves a file ledger into PostgreSQL, but DINGCAST_STATE is not set/);
  });
});

describe.skipIf(!pgUrl)('dingcast state on PostgreSQL', () => {
  it('import of a file ledger, then a re-run sends nothing; a second import adds nothing; status never shows the password', async () => {
    const db = new URL(await freshDatabase());
    db.password = 'Pw-not-for-logs';
    const url = db.toString();
    const dir = textProject(['zhangsan', 'lisi']);
    sandbox = await startSandboxProcess({ projectDir: dir });
    const first = await runCli(['send', 'note', '--no-wait', '--project', dir], { env: sandbox.env });
    expect(first.code, first.stderr).toBe(0);
    const ledger = readdirSync(join(dir, '.dingcast')).find((n) => n.startsWith('ledger.') && n.endsWith('.jsonl'));
    expect(ledger).toBeDefined();
    const env = { ...sandbox.env, DINGCAST_STATE: url };
    const imp = await runCli(['state', 'import', join(dir, '.dingcast', ledger as string), '--project', dir], { env });
    expect(imp.code, imp.stderr).toBe(0);
    // intent, sent, and the run's metered calls (the monthly quota).
    expect(imp.stderr).toMatch(/imported 3 records/);
    const again = await runCli(['state', 'import', join(dir, '.dingcast', ledger as string), '--project', dir], { env });
    expect(again.stderr).toMatch(/imported 0 records .*\(3 already there\)/);
    // A copy of the project without .dingcast/: only the database remembers.
    const copy = textProject(['zhangsan', 'lisi']);
    const rerun = await runCli(['send', 'note', '--no-wait', '--project', copy], { env });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect((await sandbox.admin.calls()).calls.asyncsend_v2).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
    const status = await runCli(['state', 'status', '--project', copy], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/backend\s+postgres\s+postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_/);
    expect(status.stdout).toMatch(/scope\s+http:\/\/127\.0\.0\.1:\d+#100000001/);
    expect(status.stdout).toMatch(/ledger\s+3 records \(calls 1, intent 1, sent 1\)/);
    expect(status.stdout).toMatch(/lock\s+stale by \S+, \S+ pid \d+ until/);
    expect(status.stdout + status.stderr + imp.stderr + imp.stdout).not.toContain('Pw-not-for-logs');
    const exported = await runCli(['state', 'export', '--project', copy], { env });
    expect(lines(exported.stdout).map((r) => r.type)).toEqual(['intent', 'sent', 'calls']);
  });

  it('import refuses the sandbox ledger into the real target, and a damaged file, before writing anything', async () => {
    const url = await freshDatabase();
    const dir = textProject(['zhangsan']);
    const sandboxLedger = writeLedger(dir, 'ledger.sandbox.jsonl', records('2026-11-25', '2026-11-25T01:00:00.000Z', 'r1'));
    const r = await runCli(['state', 'import', sandboxLedger, '--project', dir], { env: { DINGCAST_STATE: url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ledger\.sandbox\.jsonl is not the ledger of this target \(ledger\.jsonl is\)/);
    expect(r.stderr).toMatch(/add --sandbox/);
    const ok = await runCli(['state', 'import', sandboxLedger, '--sandbox', '--project', dir], { env: { DINGCAST_STATE: url } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(await query(url, `SELECT scope, count(*)::int AS n FROM dingcast_ledger GROUP BY scope`)).toEqual([{ scope: 'sandbox#100000001', n: 3 }]);
    const damaged = writeLedger(dir, 'ledger.jsonl', []);
    writeFileSync(damaged, '{"v":1,"type":"intent"\nnot json\n{"v":1,"type":"slot"}\n');
    const bad = await runCli(['state', 'import', damaged, '--project', dir], { env: { DINGCAST_STATE: url } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 1 is not a ledger record/);
    expect(await query(url, `SELECT count(*)::int AS n FROM dingcast_ledger`)).toEqual([{ n: 3 }]);
  });

  it('compact on PostgreSQL keeps the same records as on files; status shows the last slot by time, not by insertion', async () => {
    const url = await freshDatabase();
    const dir = textProject(['zhangsan']);
    // Newer first, then older: an imported backup may arrive in any order.
    const file = writeLedger(dir, 'ledger.jsonl', [...records('2026-11-24', '2026-11-24T01:00:00.000Z', 'recent'), ...records('2026-10-01', '2026-10-01T01:00:00.000Z', 'old'), ...records('2026-09-01', '2026-09-01T01:00:00.000Z', 'older', 'weekly')]);
    const env = { DINGCAST_STATE: url };
    expect((await runCli(['state', 'import', file, '--project', dir], { env })).code).toBe(0);
    const status = await runCli(['state', 'status', '--json', '--project', dir], { env });
    expect((JSON.parse(status.stdout) as { lastSlots: unknown }).lastSlots).toEqual([
      { notification: 'note', slot: '2026-11-24T09:00:00+08:00' },
      { notification: 'weekly', slot: '2026-09-01T09:00:00+08:00' },
    ]);
    const r = await runCli(['state', 'compact', '--at', '2026-11-26T10:00:00+08:00', '--project', dir], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/removed 5 records .*; 4 records kept/);
    const rows = await query<{ run: string; type: string }>(url, `SELECT run, type FROM dingcast_ledger ORDER BY seq`);
    expect(rows.map((x) => `${x.run}:${x.type}`)).toEqual(['recent:intent', 'recent:sent', 'recent:slot', 'older:slot']);
    expect(await query(url, `SELECT key FROM dingcast_deliveries`)).toEqual([{ key: 'recent-k' }]);
  });

  it('unlock --force while a run holds the lease: status shows the holder, the holder is fenced off and stops (exit 2), nobody twice', async () => {
    const url = await freshDatabase();
    const dir = textProject(['zhangsan']);
    const other = textProject(['zhangsan']);
    sandbox = await startSandboxProcess({ projectDir: dir, faults: [{ kind: 'hold', name: 'held', phase: 'after', endpoint: 'asyncsend_v2', count: 1 }] });
    const env = { ...sandbox.env, DINGCAST_STATE: url };
    const first = startCli(['send', 'note', '--project', dir], { env });
    await sandbox.admin.waitHeld('held', 1, 90_000);
    const status = await runCli(['state', 'status', '--project', other], { env });
    expect(status.stdout).toMatch(/lock\s+held by \d{8}T\d{6}Z-[0-9a-f]{6}, \S+ pid \d+ until/);
    const busy = await runCli(['send', 'note', '--project', other], { env });
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain('dingcast state unlock --force');
    const unlock = await runCli(['state', 'unlock', '--force', '--project', other], { env });
    expect(unlock.code, unlock.stderr).toBe(0);
    expect(unlock.stderr).toMatch(/released the lock of a run that looked alive/);
    await sandbox.admin.release('held');
    const r = await first.done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/lease .* expired or was taken over/);
    const after = await runCli(['send', 'note', '--no-wait', '--project', other], { env });
    expect(after.code, after.stderr).toBe(0);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
  });
});
