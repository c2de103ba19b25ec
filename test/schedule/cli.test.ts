import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { cliPath, repoRoot, runCli, startCli, type CliResult } from '../helpers/cli.js';
import { scheduledProject, slotRecords, write } from './_project.js';
import { HELD_CALL_TIMEOUT_S } from '../helpers/sandboxProcess.js';

/** Only against a run that never gets there: a loaded machine can take long to start a CLI, never too long. */
const HELD_WITHIN_MS = 90_000;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

// A held call must stay held however slow the second CLI starts (see HELD_CALL_TIMEOUT_S).
const envFor = (s: Sandbox): Record<string, string> => ({ DINGTALK_BASE_URL: s.url, DINGTALK_APP_KEY: 'sandbox-app-key', DINGTALK_APP_SECRET: 'sandbox-app-secret', DINGCAST_HTTP_TIMEOUT: HELD_CALL_TIMEOUT_S });

/**
 * `dingcast ARGS` in this process: main() as bin.ts calls it (argument parsing, --at, the send command's dry run),
 * with runCli's environment, and what it wrote to stdout and stderr. A spawned CLI costs ~1 s of CPU; one case below
 * checks the built CLI prints the same.
 */
async function inProcess(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'dingcast', ...args], { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function reportRuns(dir: string): string[] {
  return existsSync(join(dir, 'reports')) ? readdirSync(join(dir, 'reports')).filter((n) => n !== 'latest') : [];
}

describe('send --due --dry-run: what the schedules say at --at', () => {
  const dir = scheduledProject([
    ['standup', '0 9 * * 1-5', 'calendar: cn-workdays', 'zhangsan'],
    ['nightly', '0 0 * * *', '', 'lisi'],
    ['ny-report', '30 2 * * *', 'timezone: America/New_York', 'wangwu'],
  ]);
  it.each([
    ['one second before a weekday 09:00', '2026-03-02T08:59:59+08:00', {}],
    ['exactly 09:00', '2026-03-02T09:00:00+08:00', { standup: '2026-03-02T09:00:00+08:00' }],
    ['midnight in Shanghai (16:00 UTC the day before)', '2026-03-01T16:00:00Z', { nightly: '2026-03-02T00:00:00+08:00' }],
    ['midnight UTC is 08:00 in Shanghai', '2026-03-02T00:00:00Z', {}],
    ['New York spring forward: 02:30 runs at 03:00 EDT', '2026-03-08T07:00:00Z', { 'ny-report': '2026-03-08T03:00:00-04:00' }],
    ['New York fall back: 01:30 EDT', '2026-11-01T06:40:00Z', {}],
    ['New York fall back: 02:30 EST', '2026-11-01T07:30:00Z', { 'ny-report': '2026-11-01T02:30:00-05:00' }],
    ['National Day Monday 2026-10-05 (holiday)', '2026-10-05T09:00:00+08:00', {}],
    ['make-up Saturday 2026-02-14', '2026-02-14T09:05:00+08:00', { standup: '2026-02-14T09:00:00+08:00' }],
  ])('%s', async (_name, at, expected) => {
    const r = await inProcess(['send', '--due', '--dry-run', '--json', '--at', at, '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as { notifications: { id: string; slot?: string }[] };
    expect(Object.fromEntries(plan.notifications.map((n) => [n.id, n.slot]))).toEqual(expected);
  });

  it('the built CLI prints what the in-process runs print', async () => {
    const args = ['send', '--due', '--dry-run', '--json', '--at', '2026-03-08T07:00:00Z', '--project', dir];
    const [spawned, here] = [await runCli(args), await inProcess(args)];
    expect(spawned.code, spawned.stderr).toBe(0);
    expect(here.code).toBe(0);
    // Each run has its own run id, and the seal covers it: the rest is the same plan.
    const plan = (stdout: string): Record<string, unknown> => {
      const { run_id: _run, fingerprint: _seal, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
      return rest;
    };
    expect(plan(here.stdout)).toEqual(plan(spawned.stdout));
    expect(plan(here.stdout).notifications).toEqual([expect.objectContaining({ id: 'ny-report', slot: '2026-03-08T03:00:00-04:00' })]);
    expect(here.stderr).toBe(spawned.stderr);
  });

  it('beyond the calendar data: falls back to plain weekdays and says so', async () => {
    const r = await inProcess(['send', '--due', '--dry-run', '--json', '--at', '2027-01-04T09:00:00+08:00', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { notifications: { id: string }[] }).notifications.map((n) => n.id)).toEqual(['standup']);
    expect(r.stderr).toMatch(/standup: calendar `cn-workdays` has no data for 2027 \(it covers 2025, 2026\)/);
  });

  it('refuses a bad --window', async () => {
    const r = await inProcess(['send', '--due', '--dry-run', '--window', '15', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--window `15` is not a duration/);
  });
});

describe('send --due against the sandbox', () => {
  it('the same slot run twice sends once; a long gap later sends once for the latest slot', async () => {
    const dir = scheduledProject([['standup', '0 9 * * 1-5', 'calendar: cn-workdays', 'zhangsan']]);
    const at = '2026-03-02T09:01:00+08:00';
    const first = await runCli(['send', '--due', '--sandbox', '--at', at, '--project', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/due: standup for slot 2026-03-02T09:00:00\+08:00/);
    const second = await runCli(['send', '--due', '--sandbox', '--at', at, '--project', dir]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/nothing due/);
    // Nothing due: no run and no report, and stdout (the result) says so, in the project's time, or as JSON.
    expect(second.stdout).toBe('nothing due at 2026-03-02 09:01:00 +08:00: nothing sent, so no run and no report\n');
    const json = await runCli(['send', '--due', '--sandbox', '--json', '--at', at, '--project', dir]);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ nothing_due: true, at: '2026-03-02T01:01:00.000Z', timezone: 'Asia/Shanghai', sent: 0, report: null, broken: [] });
    expect(reportRuns(dir)).toHaveLength(1);
    expect(slotRecords(dir).map((r) => r.slot)).toEqual(['2026-03-02T09:00:00+08:00']);

    const later = await runCli(['send', '--due', '--sandbox', '--at', '2026-03-09T09:30:00+08:00', '--project', dir]);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toMatch(/due: standup for slot 2026-03-09T09:00:00\+08:00; 4 earlier missed slot\(s\) collapsed into this one send/);
    expect(reportRuns(dir)).toHaveLength(2);

    const listed = await runCli(['schedule', '--json', '--sandbox', '--at', '2026-03-09T09:30:00+08:00', '-n', '2', '--project', dir]);
    expect(listed.code, listed.stderr).toBe(0);
    const rows = (JSON.parse(listed.stdout) as { notifications: { id: string; next: string[]; last_fired: string | null }[] }).notifications;
    expect(rows).toEqual([expect.objectContaining({ id: 'standup', next: ['2026-03-10T09:00:00+08:00', '2026-03-11T09:00:00+08:00'], last_fired: '2026-03-09T09:00:00+08:00' })]);
  });

  it('two concurrent --due runs: one refuses or waits, nobody gets the slot twice', async () => {
    const dir = scheduledProject([['standup', '0 9 * * 1-5', '', 'zhangsan']]);
    sandbox = await startSandbox({ faults: [{ kind: 'hold', name: 'first', endpoint: 'asyncsend_v2', count: 1 }] });
    const s = sandbox;
    const args = ['send', '--due', '--at', '2026-03-02T09:01:00+08:00', '--project', dir, '--no-wait'];
    const first = startCli(args, { env: envFor(s) });
    // The first run holds the project lock from before it plans until after its send, which the sandbox holds
    // unanswered until this test releases it: the lock is held for as long as the test needs, however slow the machine.
    expect(await s.admin.waitHeld('first', 1, HELD_WITHIN_MS)).toBe(true);
    const refused = await runCli(args, { env: envFor(s) });
    expect(refused.code, refused.stdout + refused.stderr).toBe(2);
    expect(refused.stderr).toMatch(/another dingcast run .* is sending from this project/);
    const waited = runCli([...args, '--lock-wait', '30'], { env: envFor(s) });
    expect(s.admin.release('first')).toBe(1);
    expect((await first.done).code).toBe(0);
    const w = await waited;
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/nothing due/);
    // --no-wait: the task is accepted once; its delivery is the sandbox's business.
    expect(s.state.tasks()).toHaveLength(1);
    expect(s.state.calls().asyncsend_v2).toBe(1);
    expect(slotRecords(dir)).toHaveLength(1);
  });
});

describe('examples/crontab', () => {
  it('works as written against a sandbox (paths swapped for temp ones), and a second tick sends nothing', async () => {
    // A schedule that fired two minutes ago (in UTC), inside the default 15-minute window.
    const fired = new Date(Date.now() - 2 * 60_000);
    const dir = scheduledProject([['standup', `${fired.getUTCMinutes()} ${fired.getUTCHours()} * * *`, 'timezone: UTC', 'zhangsan']]);
    sandbox = await startSandbox();
    const envFile = join(dir, 'notices.env');
    write(dir, 'notices.env', Object.entries(envFor(sandbox)).map(([k, v]) => `export ${k}=${v}\n`).join(''));
    write(dir, 'node_modules/.bin/dingcast', `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
    chmodSync(join(dir, 'node_modules/.bin/dingcast'), 0o755);

    const line = readFileSync(join(repoRoot, 'examples/crontab'), 'utf8')
      .split('\n')
      .find((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(line).toBeDefined();
    const command = (line ?? '').trim().split(/\s+/).slice(5).join(' ').replaceAll('/srv/notices', dir).replace('/etc/dingcast/notices.env', envFile).replace('/tmp/dingcast-notices.lock', join(dir, 'cron.lock'));
    // Asynchronously: the sandbox answers from this process.
    const run = () => promisify(execFile)('sh', ['-c', command], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1' } });
    await run();
    expect(sandbox.state.inbox('zhangsan')).toHaveLength(1);
    await run();
    expect(sandbox.state.inbox('zhangsan')).toHaveLength(1);
    const log = readFileSync(join(dir, 'dingcast-cron.log'), 'utf8');
    expect(log).toMatch(/due: standup for slot/);
    expect(log).toMatch(/nothing due/);
    expect(slotRecords(dir)).toHaveLength(1);
  });
});
