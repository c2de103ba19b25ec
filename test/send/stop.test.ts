// Bad days: a signal mid-run, a ledger that cannot record. The run stops making calls, writes what it did, exits 2.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadProject } from '../../src/core/load/loadProject.js';
import { verdictOf } from '../../src/core/report/index.js';
import { planSend } from '../../src/core/send/plan.js';
import type { LedgerEntry } from '../../src/core/send/records.js';
import { applyPlan } from '../../src/io/apply.js';
import { createDingTalkClient } from '../../src/io/dingtalk/index.js';
import { openLedger } from '../../src/io/ledger.js';
import { readProjectFiles } from '../../src/io/readProject.js';
import { runCli, startCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { latestReport, textProject } from './_project.js';

// Several CLI runs per test against a sandbox process, on a machine shared by many: minutes, not the default 30 s.
vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const FAST = { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: Array.from({ length: 40 }, (_, i) => ({ userid: `u${i + 1}`, dept_ids: [1] })), departments: [{ id: 1 }] };
const users = Array.from({ length: 40 }, (_, i) => `u${i + 1}`);
/** One user per call, so the run has many calls to stop between. */
function onePerCall(): string {
  const dir = textProject(users);
  return dir;
}

describe('SIGTERM mid-run', () => {
  it('stops making calls, writes the report of what was sent, releases the lock, exits 2; the next run sends the rest', async () => {
    const dir = onePerCall();
    const { writeFileSync, readFileSync } = await import('node:fs');
    const file = join(dir, 'notifications.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('notifications:\n', 'limits: { userids_per_call: 1 }\nnotifications:\n'));
    sb = await startSandboxProcess({ projectDir: dir, config: FAST });
    await sb.admin.addFaults({ kind: 'hold', name: 'send', phase: 'before', count: 1000, endpoint: 'asyncsend_v2' });
    const run = startCli(['send', 'note', '--project', dir], { env: sb.env, timeoutMs: 60_000 });
    await sb.admin.waitHeld('send', 1);
    run.child.kill('SIGTERM');
    // The calls already on the wire are answered; the run must not start others.
    await sb.admin.clearFaults();
    await sb.admin.release('send');
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/SIGTERM: no new calls/);
    expect(existsSync(join(dir, '.dingcast', 'lock'))).toBe(false);
    const report = latestReport(dir);
    expect(report.stopped).toMatch(/interrupted \(SIGTERM\)/);
    expect(verdictOf(report).code).toBe(2);
    const tasks = (await sb.admin.tasks()).length;
    expect(tasks).toBeLessThan(users.length);
    expect(report.notifications[0]?.calls.filter((c) => c.state === 'sent')).toHaveLength(tasks);
    expect(report.notifications[0]?.skipped.filter((s) => /^not sent/.test(s.reason))).toHaveLength(users.length - tasks);

    const again = await runCli(['send', 'note', '--project', dir], { env: sb.env, timeoutMs: 60_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await sb.admin.inboxCounts()).toEqual(Object.fromEntries(users.map((u) => [u, 1])));
  });
});

describe('a ledger that cannot record', () => {
  it('makes no call it could not record first, stops, and reports what it did', async () => {
    const dir = onePerCall();
    sb = await startSandboxProcess({ projectDir: dir, config: FAST });
    const project = loadProject(await readProjectFiles(dir));
    project.config.limits.useridsPerCall = 1;
    const now = new Date();
    const plan = planSend({ project, ids: ['note'], now, runId: '20261126T020000Z-abcdef', ledger: { deliveries: [] }, force: false, fingerprint: 'x' });
    const file = await openLedger(mkdtempSync(join(tmpdir(), 'dingcast-full-')));
    let intents = 0;
    // The file ledger's own append, until the disk is full at the fourth intent.
    const ledger = {
      append(entry: LedgerEntry) {
        if (entry.type === 'intent' && ++intents > 3) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        return file.append(entry);
      },
    };
    const client = createDingTalkClient({ baseUrl: sb.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 });
    try {
      const report = await applyPlan(plan, { client, ledger, wait: true, waitTimeoutMs: 20_000, concurrency: 1 });
      expect(report.stopped).toMatch(/ledger could not record a call's intent \(ENOSPC/);
      expect(verdictOf(report).code).toBe(2);
      expect(await sb.admin.tasks()).toHaveLength(3);
      expect(report.notifications[0]?.calls).toHaveLength(3);
      // The three went out and were answered; with the ledger gone the run does not wait for their results.
      expect(report.notifications[0]?.calls.map((c) => c.state)).toEqual(['sent', 'sent', 'sent']);
      expect(report.notifications[0]?.skipped.filter((s) => /^not sent: the ledger could not record/.test(s.reason))).toHaveLength(users.length - 3);
    } finally {
      await client.close();
      await file.close();
    }
  });
});
