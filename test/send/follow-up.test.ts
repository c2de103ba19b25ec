// Follow-up against `dingcast sandbox` in its own process: no fixed wait before asking, and no call per task
// spent on "not finished yet" — one task probes, the others ask once what it learned says they are finished.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { latestReport, textProject } from './_project.js';

vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i + 1}`);

function oneUserPerCall(users: string[]): string {
  const dir = textProject(users);
  const file = join(dir, 'notifications.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('notifications:\n', 'limits: { userids_per_call: 1 }\nnotifications:\n'));
  return dir;
}

describe('following tasks up', () => {
  it('probes with one task while DingTalk has not finished, then asks every other task once', async () => {
    const users = ids(5);
    const dir = oneUserPerCall(users);
    // Default task timings (queue 200 ms, then 600 ms + 2 ms a recipient) on a frozen sandbox clock: no task
    // finishes until the test moves the clock. The first two getsendresult calls are held.
    sb = await startSandboxProcess({ projectDir: dir, config: { users: users.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] } });
    await sb.admin.clock({ freeze: true });
    await sb.admin.addFaults({ kind: 'hold', name: 'probe', endpoint: 'getsendresult', phase: 'before', count: 2 });
    const run = startCli(['send', 'note', '--project', dir], { env: sb.env, timeoutMs: 120_000 });

    // The first follow-up call: the probe. It answers "not finished" (the clock stands still).
    await sb.admin.waitHeld('probe', 1);
    expect((await sb.admin.tasks()).length).toBeGreaterThanOrEqual(1);
    await sb.admin.release('probe', 1);
    // The probe asks again after its backoff (held: the sandbox counts a call once it is past the hold);
    // meanwhile nobody else has asked.
    await sb.admin.waitHeld('probe', 1);
    expect((await sb.admin.calls()).calls.getsendresult).toBe(1);
    expect(await sb.admin.tasks()).toHaveLength(5);
    // DingTalk finishes every task; the probe learns how long that took, and the other four ask once each.
    await sb.admin.clock({ advance: 10_000 });
    await sb.admin.release('probe', 1);

    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const report = latestReport(dir);
    expect(users.filter((u) => report.notifications[0]?.recipients[u] !== 'unread')).toEqual([]);
    expect((await sb.admin.calls()).calls.getsendresult).toBe(2 + 4);
  });

  it('asks at once when DingTalk finishes at once: a task is followed up while another send is still in flight', async () => {
    const users = ids(3);
    const dir = oneUserPerCall(users);
    sb = await startSandboxProcess({ projectDir: dir, config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: users.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] } });
    // The first send to arrive is held until a follow-up call has been answered.
    await sb.admin.addFaults({ kind: 'hold', name: 'send', endpoint: 'asyncsend_v2', phase: 'before', count: 1 });
    const run = startCli(['send', 'note', '--project', dir], { env: sb.env, timeoutMs: 120_000 });
    await sb.admin.waitHeld('send', 1);
    await sb.admin.addFaults({ kind: 'hold', name: 'result', endpoint: 'getsendresult', phase: 'after', count: 1 });
    await sb.admin.waitHeld('result', 1);
    expect((await sb.admin.holds()).find((h) => h.name === 'send')?.held).toBe(1);
    await sb.admin.release('result');
    await sb.admin.release('send');
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Each task asked once: the two early ones while the third send was held, the third after its answer.
    expect((await sb.admin.calls()).calls.getsendresult).toBe(3);
  });
});
