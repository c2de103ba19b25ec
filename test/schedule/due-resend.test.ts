// `send --due` against `dingcast sandbox` in its own process: a slot that fired with failed recipients and a lost
// answer is owed to them; the next tick re-sends exactly those (the lost call with its own bytes), then nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { latestReport, textProject } from '../send/_project.js';

vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const users = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'];
const FAST = { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: users.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] };

function scheduledProject(to: string[] = users): string {
  const dir = textProject(to, [], 'daily at {{date @now \\"HH:mm:ss.SSS\\"}}');
  const file = join(dir, 'notifications.yaml');
  const text = readFileSync(file, 'utf8').replace('notifications:\n', 'limits: { userids_per_call: 2 }\nnotifications:\n').replace('    vars: { name: team }\n', "    vars: { name: team }\n    schedule: '0 9 * * *'\n");
  writeFileSync(file, text);
  return dir;
}

describe('send --due re-sends what a fired slot owes', () => {
  const due = (dir: string, s: SandboxProcess, at: string) => runCli(['send', '--due', '--at', at, '--project', dir], { env: s.env, timeoutMs: 120_000 });

  it('a failed user is sent again on the next tick, nobody else, then nothing', async () => {
    const dir = scheduledProject();
    const s = (sb = await startSandboxProcess({ config: FAST }));
    await s.admin.addFaults({ kind: 'user', userid: 'u5', outcome: 'failed', count: 1 });

    const first = await due(dir, s, '2026-03-02T09:00:30+08:00');
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(first.stderr).toMatch(/due: note for slot 2026-03-02T09:00:00\+08:00/);
    expect(latestReport(dir).notifications[0]?.recipients.u5).toBe('failed');
    expect(await s.admin.tasks()).toHaveLength(3);

    const second = await due(dir, s, '2026-03-02T09:05:00+08:00');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stderr).toMatch(/re-sends slot 2026-03-02T09:00:00\+08:00 to 1 recipient\(s\)/);
    const tasks = await s.admin.tasks();
    expect(tasks.slice(3).map((t) => t.userid_list)).toEqual([['u5']]);
    expect(await s.admin.inboxCounts()).toEqual(Object.fromEntries(users.map((u) => [u, 1])));

    const third = await due(dir, s, '2026-03-02T09:10:00+08:00');
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.stderr).toMatch(/nothing due/);
    expect(await s.admin.tasks()).toHaveLength(4);
  });

  it('a call whose every answer was lost is sent again with its own bytes (the template prints the clock)', async () => {
    const dir = scheduledProject(['u1', 'u2']);
    const s = (sb = await startSandboxProcess({ config: FAST }));
    // DingTalk takes every try of the send and every answer is lost: the run cannot know it was delivered.
    await s.admin.addFaults({ kind: 'drop-answer', count: 100, endpoint: 'asyncsend_v2' });
    const first = await due(dir, s, '2026-03-02T09:00:30+08:00');
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(latestReport(dir).notifications[0]?.calls.map((c) => c.state)).toEqual(['unknown']);
    await s.admin.clearFaults();
    const tried = (await s.admin.tasks()).length;

    const second = await due(dir, s, '2026-03-02T09:05:00+08:00');
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stderr).toMatch(/re-sends slot 2026-03-02T09:00:00\+08:00 to 2 recipient\(s\)/);
    const tasks = await s.admin.tasks();
    expect(tasks.length).toBe(tried + 1);
    expect(new Set(tasks.map((t) => JSON.stringify(t.msg))).size).toBe(1);
    expect(await s.admin.inboxCounts()).toEqual({ u1: 1, u2: 1 });
  });
});
