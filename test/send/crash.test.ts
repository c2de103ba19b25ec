import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import type { FaultSpec } from '../../src/sandbox/types.js';
import { allLedgersText, runCli, startCli } from '../helpers/cli.js';
import { AT, envFor, latestReport, sandboxFor, textProject } from './_project.js';

/** Only against a run that never gets there: a loaded machine can take long to start a CLI, never too long. */
const HELD_WITHIN_MS = 90_000;

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const users = Array.from({ length: 45 }, (_, i) => `u${i + 1}`);

async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('a run killed with SIGKILL, then run again', () => {
  // Kill points: once DingTalk took one, two or all three of the run's sends (their answers held back, the other sends
  // held before they reach it), and while its first follow-up call is held. Latches the test opens, no delays.
  it.each([
    ['during the first send', 1, false],
    ['during the second send', 2, false],
    ['during the third send', 3, false],
    ['during the follow-up', 3, true],
  ])('%s: no inbox holds a message twice and every recipient is accounted for', async (_name, taken, followUp) => {
    const dir = textProject(users);
    // Three calls to kill between: 20 userids a call (the default is 100, which would make this one call).
    appendFileSync(join(dir, 'notifications.yaml'), 'limits: { userids_per_call: 20 }\n');
    const faults: FaultSpec[] = followUp
      ? [{ kind: 'hold', name: 'follow-up', endpoint: 'getsendresult', count: 1 }]
      : [
          { kind: 'hold', name: 'taken', phase: 'after', endpoint: 'asyncsend_v2', count: taken },
          ...(taken < 3 ? [{ kind: 'hold' as const, name: 'not-yet', endpoint: 'asyncsend_v2' as const, count: 3 - taken }] : []),
        ];
    sandbox = await sandboxFor(dir, { faults });
    const s = sandbox;
    const run = startCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    // The three sends (20 + 20 + 5 users) are in flight together.
    if (followUp) expect(await s.admin.waitHeld('follow-up', 1, HELD_WITHIN_MS)).toBe(true);
    else {
      expect(await s.admin.waitHeld('taken', taken, HELD_WITHIN_MS)).toBe(true);
      if (taken < 3) expect(await s.admin.waitHeld('not-yet', 3 - taken, HELD_WITHIN_MS)).toBe(true);
    }
    expect(s.state.calls().asyncsend_v2).toBe(followUp ? 3 : taken);
    run.child.kill('SIGKILL');
    await run.done;

    const again = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // The sandbox delivers a task over about a second; a rerun that only skips can finish before the killed run's last task does.
    await waitFor(() => s.state.tasks().every((t) => t.status === 2));
    for (const u of users) expect(s.state.inbox(u).length, u).toBe(1);
    const report = latestReport(dir);
    const statuses = report.notifications[0]?.recipients ?? {};
    for (const u of users) expect(['unread', 'read', 'skipped'], `${u}: ${statuses[u]}`).toContain(statuses[u]);
    expect(report.totals.unknown + report.totals.failed + report.totals.forbidden).toBe(0);
  });
});

describe('two runs on one project at once', () => {
  it('the second refuses with a clear message, or waits with --lock-wait; nothing is sent twice', async () => {
    const dir = textProject(['zhangsan', 'lisi']);
    // The sandbox holds the first run's send until the test releases it, so its lock is held while the others start.
    sandbox = await sandboxFor(dir, { faults: [{ kind: 'hold', name: 'first', endpoint: 'asyncsend_v2', count: 1 }] });
    const s = sandbox;
    const first = startCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    expect(await s.admin.waitHeld('first', 1, HELD_WITHIN_MS)).toBe(true);
    expect(allLedgersText(dir)).toContain('"intent"');
    const refused = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/another dingcast run .* is sending from this project/);
    const waiting = runCli(['send', 'note', '--at', AT, '--project', dir, '--lock-wait', '30'], { env: envFor(s) });
    expect(s.admin.release('first')).toBe(1);
    expect((await first.done).code).toBe(0);
    const waited = await waiting;
    expect(waited.code, waited.stderr).toBe(0);
    expect(latestReport(dir).totals.skipped, JSON.stringify(latestReport(dir).notifications) + waited.stdout + waited.stderr + (await first.done).stderr).toBe(2);
    expect(s.state.inbox('zhangsan')).toHaveLength(1);
    expect(s.state.calls().asyncsend_v2).toBe(1);
  });
});
