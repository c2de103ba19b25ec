// "Too many recipients" (40032 bad list length, 41029): DingTalk refused the whole call, so dingcast sends the same
// recipients again in halves, each with its own intent — against `dingcast sandbox` in its own process.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inProcessSandbox } from '../../src/cli/send.js';
import { startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { send as post } from '../sandbox/_client.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { latestReport, textProject } from './_project.js';

vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const ids = (n: number) => Array.from({ length: n }, (_, i) => `u${i + 1}`);
const FAST = { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: ids(300).map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] };

function send(dir: string, s: SandboxProcess) {
  return runCli(['send', 'note', '--project', dir], { env: s.env, timeoutMs: 120_000 });
}

/** The ledger this project keeps for the sandbox process's URL. */
function ledger(dir: string): { type: string; key: string; recipients?: string[]; errcode?: number; run: string }[] {
  const state = join(dir, '.dingcast');
  const file = readdirSync(state).find((f) => f.startsWith('ledger.127.0.0.1-') && f.endsWith('.jsonl'));
  if (!file) throw new Error(`no ledger in ${state}: ${readdirSync(state).join(', ')}`);
  return readFileSync(join(state, file), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; key: string; recipients?: string[]; errcode?: number; run: string });
}

describe('a call refused as too large is sent again in halves', () => {
  it('a sandbox that takes 30 userids a call: 250 users in 10 calls of 25, each once; the next run sends nothing', async () => {
    const users = ids(250);
    const dir = textProject(users);
    sb = await startSandboxProcess({ projectDir: dir, config: { ...FAST, userids_per_call: 30 } });
    const r = await send(dir, sb);
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const tasks = await sb.admin.tasks();
    // 100 → 50 + 50 → four of 25; twice; 50 → two of 25.
    expect(tasks.map((t) => t.userid_list.length)).toEqual(Array.from({ length: 10 }, () => 25));
    const inboxes = await sb.admin.inboxCounts();
    expect(users.filter((u) => inboxes[u] !== 1)).toEqual([]);
    const calls = (await sb.admin.calls()).log.filter((c) => c.endpoint === 'asyncsend_v2');
    expect(calls.filter((c) => c.errcode === 40032)).toHaveLength(7);

    const report = latestReport(dir);
    const statuses = report.notifications[0]?.recipients ?? {};
    expect(users.filter((u) => statuses[u] !== 'unread' && statuses[u] !== 'read')).toEqual([]);
    expect(report.notifications[0]?.calls).toHaveLength(10);

    // The ledger: every refused call's recipients appear again in the intents of its halves, and every user has
    // exactly one answered intent.
    const records = ledger(dir);
    const refused = new Set(records.filter((x) => x.type === 'refused').map((x) => x.key));
    expect(refused.size).toBe(7);
    const sent = new Set(records.filter((x) => x.type === 'sent').map((x) => x.key));
    const answered = records.filter((x) => x.type === 'intent' && sent.has(x.key)).flatMap((x) => x.recipients ?? []);
    expect(answered.sort()).toEqual(users.map((u) => `user:${u}`).sort());

    const again = await send(dir, sb);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await sb.admin.tasks()).length).toBe(10);
  });

  it('41029 once: two halves; a half whose answer was lost is retried with its own bytes by the next run, nobody twice', async () => {
    const users = ids(6);
    const dir = textProject(users, [], 'at {{date @now \\"HH:mm:ss.SSS\\"}} for {{name}}');
    sb = await startSandboxProcess({ projectDir: dir, config: FAST });
    // The first send is refused as too many recipients; every try of its first half is delivered, then its answer lost.
    await sb.admin.addFaults({ kind: 'errcode', errcode: 41029, endpoint: 'asyncsend_v2', count: 1 }, { kind: 'drop-answer', endpoint: 'asyncsend_v2', count: 5 });
    const first = await send(dir, sb);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const r1 = latestReport(dir).notifications[0];
    expect(ids(3).map((u) => r1?.recipients[u])).toEqual(['unknown', 'unknown', 'unknown']);
    expect(['u4', 'u5', 'u6'].map((u) => r1?.recipients[u])).toEqual(['unread', 'unread', 'unread']);
    const before = (await sb.admin.tasks()).length;

    const rerun = await send(dir, sb);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    const tasks = await sb.admin.tasks();
    // The next run sent the lost half again, and only it, with the bytes of its first try (the clock it rendered).
    const later = tasks.slice(before);
    expect(later.map((t) => t.userid_list)).toEqual([ids(3)]);
    const firstHalf = tasks.filter((t) => t.userid_list.includes('u1'));
    expect(new Set(firstHalf.map((t) => JSON.stringify(t.msg))).size).toBe(1);
    expect(tasks.filter((t) => t.userid_list.includes('u4')).map((t) => t.userid_list)).toEqual([['u4', 'u5', 'u6']]);
    const inboxes = await sb.admin.inboxCounts();
    expect(users.map((u) => inboxes[u])).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe("send --sandbox's own sandbox", () => {
  it("takes no more recipients per call than the project's limits: 40032 beyond them", async () => {
    const users = FAST.users.map((u) => u.userid);
    const sandbox = await startSandbox({ ...inProcessSandbox({ useridsPerCall: 10, deptIdsPerCall: 3 }), config: { directory: { users: FAST.users.map((u) => ({ ...u, name: u.userid })), departments: [{ id: 1, name: 'one' }, { id: 2, name: 'two' }, { id: 3, name: 'three' }, { id: 4, name: 'four' }] } } });
    try {
      expect((await post(sandbox, { userid_list: users.slice(0, 10).join(',') })).errcode).toBe(0);
      expect((await post(sandbox, { userid_list: users.slice(10, 21).join(',') })).errcode).toBe(40032);
      expect((await post(sandbox, { dept_id_list: '1,2,3' })).errcode).toBe(0);
      expect((await post(sandbox, { dept_id_list: '1,2,3,4' })).errcode).toBe(40032);
    } finally {
      await sandbox.close();
    }
  });
});
