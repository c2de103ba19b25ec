// Sending against `dingcast sandbox` in its own process: identity, outcomes, re-sends, lost answers, departments.
import { readFileSync, writeFileSync as writeFile } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/core/send/types.js';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { latestReport, makeProject, textProject } from './_project.js';

// Several CLI runs per test against a sandbox process, on a machine shared by many: minutes, not the default 30 s.
vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Fast task processing, so follow-up finishes quickly; the directory is every user the project names. */
// The sandbox's own directory: users u1…u1000 in department 1 (`ghost` is nobody).
const FAST = { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: Array.from({ length: 1000 }, (_, i) => ({ userid: `u${i + 1}`, dept_ids: [1] })), departments: [{ id: 1 }] };
const ids = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

async function start(dir: string, config: Record<string, unknown> = {}): Promise<SandboxProcess> {
  sb = await startSandboxProcess({ projectDir: dir, config: { ...FAST, ...config } });
  return sb;
}

function send(dir: string, s: SandboxProcess, ...args: string[]) {
  return runCli(['send', 'note', '--project', dir, ...args], { env: s.env, timeoutMs: 120_000 });
}

function reportOf(dir: string, runId: string): Report {
  return JSON.parse(readFileSync(join(dir, 'reports', runId, 'report.json'), 'utf8')) as Report;
}

describe('a thousand recipients in one notification', () => {
  it.each([
    ['the default per-call cap', ''],
    ['20 per call', 'limits: { userids_per_call: 20 }\n'],
  ])('at %s: exit 0 and every recipient in the report', async (_name, limits) => {
    const users = ids(1000);
    const dir = textProject(users);
    if (limits) {
      const file = join(dir, 'notifications.yaml');
      writeFile(file, readFileSync(file, 'utf8').replace('notifications:\n', `${limits}notifications:\n`));
    }
    const s = await start(dir);
    const r = await send(dir, s);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = latestReport(dir);
    const statuses = report.notifications[0]?.recipients ?? {};
    expect(users.filter((u) => statuses[u] !== 'unread' && statuses[u] !== 'read')).toEqual([]);
    expect(report.totals.recipients).toBe(1000);
    const tasks = await s.admin.tasks();
    if (limits) expect(tasks).toHaveLength(50);
    expect(tasks.reduce((sum, t) => sum + t.userid_list.length, 0)).toBe(1000);
    // No getsendresult beyond one per task here (every task finished before it was asked).
    expect((await s.admin.calls()).calls.getsendresult ?? 0).toBeLessThanOrEqual(tasks.length * 2);
  });
});

describe('outcomes decide the next run', () => {
  it('re-sends the failed and the per-minute-forbidden recipients, and nobody else', async () => {
    const users = ids(6);
    const dir = textProject(users);
    const s = await start(dir);
    await s.admin.addFaults({ kind: 'user', userid: 'u2', outcome: 'failed', count: 1 }, { kind: 'user', userid: 'u5', outcome: 'forbidden', code: '143103', count: 1 });
    const first = await send(dir, s);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const r1 = latestReport(dir).notifications[0];
    expect(r1?.recipients.u2).toBe('failed');
    expect(r1?.recipients.u5).toBe('forbidden');
    expect(r1?.forbidden_reasons.u5).toMatch(/^143103/);
    // The console names who failed.
    expect(first.stdout).toMatch(/u2/);

    const second = await send(dir, s);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const tasks = await s.admin.tasks();
    expect(tasks).toHaveLength(2);
    expect(tasks[1]?.userid_list.sort()).toEqual(['u2', 'u5']);
    expect(await s.admin.inboxCounts()).toEqual(Object.fromEntries(users.map((u) => [u, 1])));
    const r2 = latestReport(dir).notifications[0];
    expect(r2?.skipped.map((x) => x.userid).sort()).toEqual(['u1', 'u3', 'u4', 'u6']);

    const third = await send(dir, s);
    expect(third.code).toBe(0);
    expect(await s.admin.tasks()).toHaveLength(2);
  });

  it('reports a daily-capped user as "tomorrow" and an invalid one without retrying either today', async () => {
    const dir = textProject(['u1', 'u2', 'ghost']);
    const s = await start(dir, { users: [{ userid: 'u1', dept_ids: [1] }, { userid: 'u2', dept_ids: [1] }], departments: [{ id: 1 }] });
    await s.admin.addFaults({ kind: 'user', userid: 'u2', outcome: 'forbidden', code: '143105', count: 1 });
    const first = await send(dir, s);
    expect(first.code).toBe(1);
    const n = latestReport(dir).notifications[0];
    expect(n?.recipients.ghost).toBe('invalid');
    expect(n?.forbidden_reasons.u2).toMatch(/143105.*tomorrow/);
    const second = await send(dir, s);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await s.admin.tasks()).toHaveLength(1);
    const skipped = Object.fromEntries((latestReport(dir).notifications[0]?.skipped ?? []).map((x) => [x.userid, x.reason]));
    expect(skipped.u2).toMatch(/daily cap.*tomorrow/);
    expect(skipped.ghost).toMatch(/invalid/);
  });
});

describe('content that renders the clock', () => {
  const clockProject = (users: string[]) => textProject(users, [], 'built {{date @now \\"HH:mm:ss.SSS\\"}}');

  it('the same command twice sends once; a changed definition sends again and the plan says since when', async () => {
    const dir = clockProject(['u1', 'u2']);
    const s = await start(dir);
    const first = await send(dir, s);
    expect(first.code, first.stderr).toBe(0);
    const second = await send(dir, s);
    expect(second.code, second.stderr).toBe(0);
    expect(await s.admin.tasks()).toHaveLength(1);
    expect(second.stderr).toMatch(/nothing changed since/);

    const file = join(dir, 'notifications.yaml');
    writeFile(file, readFileSync(file, 'utf8').replace('vars: { name: team }', 'vars: { name: crew }'));
    const third = await send(dir, s);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/changed since run \S+ at \d\d:\d\d/);
    expect(await s.admin.tasks()).toHaveLength(2);
  });

  it('a lost answer, then a re-run: nobody gets it twice, nobody is lost, the second run exits 0', async () => {
    const users = ids(5);
    const dir = clockProject(users);
    const s = await start(dir);
    // Every try of the send is processed (delivered) and its answer lost: the run cannot know.
    await s.admin.addFaults({ kind: 'drop-answer', count: 5, endpoint: 'asyncsend_v2' });
    const first = await send(dir, s);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(latestReport(dir).totals.unknown).toBe(5);
    const second = await send(dir, s);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await s.admin.inboxCounts()).toEqual(Object.fromEntries(users.map((u) => [u, 1])));
    // The retry carried the first attempt's exact bytes, not a new rendering of @now.
    const tasks = await s.admin.tasks();
    expect(new Set(tasks.map((t) => JSON.stringify(t.msg))).size).toBe(1);
    const report = latestReport(dir);
    expect(report.totals.unknown + report.totals.failed).toBe(0);
    expect(report.notifications[0]?.skipped.every((x) => /earlier run/.test(x.reason))).toBe(true);
  });
});

describe('department calls', () => {
  it('are followed by progress only, never getsendresult, and count as delivered to the department', async () => {
    const dir = textProject([], [1]);
    const s = await start(dir, { users: ids(3).map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] });
    const r = await send(dir, s);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const calls = (await s.admin.calls()).calls;
    expect(calls.getsendresult ?? 0).toBe(0);
    expect(calls.getsendprogress ?? 0).toBeGreaterThanOrEqual(1);
    expect(latestReport(dir).notifications[0]?.recipients['dept:1']).toBe('unread');
    const report = await runCli(['report', '--project', dir], { env: s.env });
    expect(report.code).toBe(0);
  });
});

describe('send and report give one verdict', () => {
  it.each([
    ['a clean run', [] as object[], 0],
    ['a failed recipient', [{ kind: 'user', userid: 'u1', outcome: 'failed', count: 1 }], 1],
  ])('%s', async (_name, faults, code) => {
    const dir = textProject(['u1', 'u2']);
    const s = await start(dir);
    if (faults.length) await s.admin.addFaults(...(faults as never[]));
    const sent = await send(dir, s);
    expect(sent.code).toBe(code);
    const run = latestReport(dir).run_id;
    const report = await runCli(['report', run, '--project', dir], { env: s.env });
    expect(report.code).toBe(code);
    expect(reportOf(dir, run).run_id).toBe(run);
  });
});

describe('npm start twice on a fresh clone', () => {
  it('sends once (the release note renders @now)', async () => {
    const dir = makeProject();
    const first = await runCli(['send', '--all', '--sandbox', '--project', dir], { timeoutMs: 120_000 });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(latestReport(dir).totals.unread + latestReport(dir).totals.read).toBeGreaterThan(0);
    const second = await runCli(['send', '--all', '--sandbox', '--project', dir], { timeoutMs: 120_000 });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const t = latestReport(dir).totals;
    expect(t.calls).toBe(0);
    expect(t.skipped).toBe(t.recipients);
  });
});
