// issue 10 item 8: a sandbox left running for days keeps bounded memory — it forgets what DingTalk no longer
// answers for (tasks after 7 days, with their inbox entries; expired tokens; past days' counters), driven by the
// sandbox clock (no sleeps), against `dingcast sandbox` in its own process.
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const DAY = 24 * 3_600_000;
// Tasks finish at once, so a frozen clock still delivers.
const ORG = { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: [{ userid: 'u1', dept_ids: [1] }], departments: [{ id: 1 }] };

async function api(s: SandboxProcess, path: string, body?: object): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.url}${path}`, body ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  return (await res.json()) as Record<string, unknown>;
}
const token = async (s: SandboxProcess) => (await api(s, '/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret')).access_token as string;
const send = async (s: SandboxProcess, t: string, content: string) =>
  api(s, `/topapi/message/corpconversation/asyncsend_v2?access_token=${t}`, { agent_id: 100000001, userid_list: 'u1', msg: { msgtype: 'text', text: { content } } });

describe('the sandbox forgets by DingTalk’s own windows', () => {
  it('keeps a task for 7 days, then forgets it and its inbox entry; a task sent since is kept', async () => {
    const s = (sb = await startSandboxProcess({ config: ORG }));
    await s.admin.clock({ set: '2026-03-02T01:00:00Z', freeze: true });
    const first = await send(s, await token(s), 'old news');
    expect(first.errcode).toBe(0);

    await s.admin.clock({ advance: 6 * DAY });
    const second = await send(s, await token(s), 'this week');
    expect(second.errcode).toBe(0);
    expect((await s.admin.tasks()).map((t) => t.task_id)).toEqual([first.task_id, second.task_id]);
    expect(await s.admin.inboxCounts()).toEqual({ u1: 2 });

    // Past the 7 days of the first task (the next call is what makes the sandbox look).
    await s.admin.clock({ advance: 1 * DAY + 60_000 });
    const t = await token(s);
    expect((await s.admin.tasks()).map((x) => x.task_id)).toEqual([second.task_id]);
    expect(await s.admin.inboxCounts()).toEqual({ u1: 1 });
    // DingTalk answers nothing for a forgotten task; neither does the sandbox.
    const progress = await api(s, `/topapi/message/corpconversation/getsendprogress?access_token=${t}`, { agent_id: 100000001, task_id: first.task_id });
    expect(progress.errcode).not.toBe(0);
  });

  it('an expired token is answered 42001 (expired) for a day, then forgotten (40014); a new one works', async () => {
    const s = (sb = await startSandboxProcess({ config: ORG }));
    await s.admin.clock({ set: '2026-03-02T01:00:00Z', freeze: true });
    const old = await token(s);
    await s.admin.clock({ advance: 3 * 3_600_000 });
    const fresh = await token(s);
    expect(fresh).not.toBe(old);
    expect((await send(s, old, 'with the old token')).errcode).toBe(42001);
    await s.admin.clock({ advance: DAY + 60_000 });
    expect((await send(s, old, 'a day later')).errcode).toBe(40014);
    expect((await send(s, await token(s), 'with a new token')).errcode).toBe(0);
  });
});
