import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { allLedgersText, runCli, startCli } from '../helpers/cli.js';
import { AT, envFor, latestReport, sandboxFor, textProject } from './_project.js';

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
  // Kill points: while the first, the second and the third send are in flight (slow answers), and during the follow-up.
  it.each([
    ['during the first send', 1, false],
    ['during the second send', 2, false],
    ['during the third send', 3, false],
    ['during the follow-up', 3, true],
  ])('%s: no inbox holds a message twice and every recipient is accounted for', async (_name, sends, afterAnswers) => {
    const dir = textProject(users);
    sandbox = await sandboxFor(dir, { faults: [{ kind: 'latency', ms: 300, endpoint: 'asyncsend_v2', count: 3 }] });
    const s = sandbox;
    const run = startCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    await waitFor(() => s.state.calls().asyncsend_v2 >= sends && (!afterAnswers || s.state.tasks().length >= 3));
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
    // A slow first send keeps the lock held while the other two CLIs start (node start-up is slow on a busy machine).
    sandbox = await sandboxFor(dir, { faults: [{ kind: 'latency', ms: 6000, endpoint: 'asyncsend_v2', count: 1 }] });
    const s = sandbox;
    const first = startCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    await waitFor(() => allLedgersText(dir).includes('"intent"'), 30_000);
    const refused = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(s) });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/another dingcast run .* is sending from this project/);
    const waiting = runCli(['send', 'note', '--at', AT, '--project', dir, '--lock-wait', '30'], { env: envFor(s) });
    expect((await first.done).code).toBe(0);
    const waited = await waiting;
    expect(waited.code, waited.stderr).toBe(0);
    expect(latestReport(dir).totals.skipped, JSON.stringify(latestReport(dir).notifications) + waited.stdout + waited.stderr + (await first.done).stderr).toBe(2);
    expect(s.state.inbox('zhangsan')).toHaveLength(1);
    expect(s.state.calls().asyncsend_v2).toBe(1);
  });
});
