// `dingcast sandbox` in its own process (test/helpers/sandboxProcess.ts) and the faults tests set through /__admin.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

const AGENT = 100000001;
let sb: SandboxProcess;

beforeAll(async () => {
  sb = await startSandboxProcess({
    config: { users: ['u1', 'u2', 'u3'].map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }], task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0 },
  });
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.admin.reset();
  await sb.admin.clearFaults();
});

type Answer = { errcode: number; errmsg: string; task_id?: number; [k: string]: unknown };

async function token(): Promise<string> {
  const res = await fetch(`${sb.url}/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret`);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function api(endpoint: string, body: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${sb.url}/topapi/message/corpconversation/${endpoint}?access_token=${await token()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify({ agent_id: AGENT, ...body }),
  });
  return (await res.json()) as Answer;
}

const send = (users: string, content = 'hello'): Promise<Answer> => api('asyncsend_v2', { userid_list: users, msg: { msgtype: 'text', text: { content } } });
const result = async (taskId: number | undefined): Promise<Record<string, unknown>> =>
  (await api('getsendresult', { task_id: taskId })).send_result as Record<string, unknown>;

describe('the sandbox process', () => {
  it('prints its bound URL and serves DingTalk on it', async () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(sb.url).port)).toBeGreaterThan(0);
    expect((await send('u1')).errcode).toBe(0);
    expect(await sb.admin.inboxCounts()).toEqual({ u1: 1 });
  });

  it('stops on close and frees its port', async () => {
    const other = await startSandboxProcess();
    const res = await fetch(`${other.url}/__admin/clock`);
    expect(res.status).toBe(200);
    await other.close();
    await expect(fetch(`${other.url}/__admin/clock`)).rejects.toThrow();
  });

  it('changes tunables at run time (a lower userid cap answers 40032)', async () => {
    await sb.admin.setTunables({ userids_per_call: 2 });
    try {
      expect((await send('u1,u2,u3')).errcode).toBe(40032);
      expect((await send('u1,u2')).errcode).toBe(0);
    } finally {
      await sb.admin.setTunables({ userids_per_call: 100 });
    }
  });
});

describe('caps of today', () => {
  it('reaches at most recipients_per_minute people a minute; the rest are forbidden with 143103 and the send answers ok', async () => {
    await sb.admin.setTunables({ recipients_per_minute: 2 });
    try {
      const first = await send('u1,u2,u3', 'capped');
      expect(first.errcode).toBe(0);
      expect(await result(first.task_id)).toMatchObject({ unread_user_id_list: ['u1', 'u2'], forbidden_user_id_list: ['u3'], forbidden_list: [{ code: '143103', count: 2, userid: 'u3' }] });
      await sb.admin.clock({ advance: 60_001 });
      const next = await send('u3', 'capped');
      expect(await result(next.task_id)).toMatchObject({ unread_user_id_list: ['u3'] });
    } finally {
      await sb.admin.setTunables({ recipients_per_minute: 5000 });
    }
  });

  it('defaults to 100 userids a call, 5000 people a minute and an ISV daily cap of 100', async () => {
    expect((await sb.admin.config()).tunables).toMatchObject({ useridsPerCall: 100, deptIdsPerCall: 20, recipientsPerMinute: 5000, dailyCapIsv: 100 });
  });
});

describe('faults for tests', () => {
  it('fails one user once (failed_user_id_list), then delivers to them', async () => {
    await sb.admin.addFaults({ kind: 'user', userid: 'u2', outcome: 'failed', count: 1 });
    const first = await send('u1,u2', 'one');
    expect(await result(first.task_id)).toMatchObject({ failed_user_id_list: ['u2'], unread_user_id_list: ['u1'] });
    const again = await send('u2', 'one');
    expect(await result(again.task_id)).toMatchObject({ failed_user_id_list: [], unread_user_id_list: ['u2'] });
    expect(await sb.admin.inboxCounts()).toEqual({ u1: 1, u2: 1 });
  });

  it('forbids one user once with 143103 (recipients-per-minute cap)', async () => {
    await sb.admin.addFaults({ kind: 'user', userid: 'u1', outcome: 'forbidden', count: 1 });
    const first = await send('u1,u3');
    expect(await result(first.task_id)).toMatchObject({
      forbidden_user_id_list: ['u1'],
      forbidden_list: [{ code: '143103', count: 5000, userid: 'u1' }],
      unread_user_id_list: ['u3'],
    });
    expect(await sb.admin.inboxCounts()).toEqual({ u3: 1 });
  });

  it('delivers, then drops the connection (a lost answer)', async () => {
    await sb.admin.addFaults({ kind: 'drop-answer', count: 1, endpoint: 'asyncsend_v2' });
    await expect(send('u1')).rejects.toThrow();
    expect(await sb.admin.inboxCounts()).toEqual({ u1: 1 });
    expect((await send('u1')).errcode).toBe(0); // spent: the next answer arrives
  });

  it('injects errcode -1 from a fault spec given as JSON', async () => {
    await sb.admin.addFaults({ kind: 'errcode', errcode: -1, count: 2, endpoint: 'asyncsend_v2' });
    expect([(await send('u1')).errcode, (await send('u1')).errcode, (await send('u1')).errcode]).toEqual([-1, -1, 0]);
  });

  it('answers a 90018 storm for N calls', async () => {
    await sb.admin.addFaults({ kind: 'errcode', errcode: 90018, count: 3, endpoint: 'asyncsend_v2' });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await send('u1', `s${i}`)).errcode);
    expect(codes).toEqual([90018, 90018, 90018, 0]);
  });

  it("answers DingTalk's IP ban as status 1111 JSON or as an HTML page", async () => {
    await sb.admin.addFaults({ kind: 'ip-ban', style: 'json', count: 1 }, { kind: 'ip-ban', style: 'html', count: 1 });
    const json = await fetch(`${sb.url}/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret`);
    expect(await json.json()).toMatchObject({ status: 1111, wait: 5 });
    const html = await fetch(`${sb.url}/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret`);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('holds a call in flight until the test releases it', async () => {
    await sb.admin.addFaults({ kind: 'hold', name: 'send', count: 1, endpoint: 'asyncsend_v2' });
    const pending = send('u1');
    const held = await sb.admin.waitHeld('send');
    expect(held).toMatchObject({ held: 1, total: 1 });
    expect(await sb.admin.inboxCounts()).toEqual({}); // held before it is processed
    expect(await sb.admin.release('send')).toBe(1);
    expect((await pending).errcode).toBe(0);
    expect(await sb.admin.inboxCounts()).toEqual({ u1: 1 });
  });

  it('holds an answer after the call took effect (phase after)', async () => {
    await sb.admin.addFaults({ kind: 'hold', name: 'answer', phase: 'after', count: 1, endpoint: 'asyncsend_v2' });
    const pending = send('u2');
    await sb.admin.waitHeld('answer');
    expect(await sb.admin.inboxCounts()).toEqual({ u2: 1 }); // delivered, answer not yet sent
    await sb.admin.release('answer');
    expect((await pending).errcode).toBe(0);
  });

  it('says so when the expected calls are not held in time', async () => {
    await expect(sb.admin.waitHeld('nobody', 1, 50)).rejects.toThrow(/not held under "nobody"/);
  });

  it('refuses a malformed fault with 400 and names the field', async () => {
    await expect(sb.admin.addFaults({ kind: 'user', outcome: 'failed', count: 1 } as never)).rejects.toThrow(/HTTP 400 faults\[0\]\.userid/);
  });
});

/** A raw request, so the test controls Host and Origin as a hostile page would. */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(sb.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

describe('the sandbox as a server', () => {
  it('answers 400, not a 500 with a stack, to bad percent-encoding', async () => {
    for (const path of ['/inbox/%E0%A4%A', '/__admin/inbox/%ZZ']) {
      const res = await raw('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body).toMatch(/percent-encoding/);
      expect(res.body).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it('refuses admin calls under a foreign Host header (DNS rebinding)', async () => {
    const res = await raw('GET', '/__admin/config', { host: `evil.example:${new URL(sb.url).port}` });
    expect(res.status).toBe(403);
    expect(res.body).toMatch(/foreign Host header/);
    expect((await raw('GET', '/__admin/config', { host: `localhost:${new URL(sb.url).port}` })).status).toBe(200);
  });

  it('refuses cross-origin admin writes (a form post from a web page)', async () => {
    await sb.admin.addFaults({ kind: 'errcode', errcode: -1, count: 1 });
    const res = await raw('POST', '/__admin/faults', { origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(403);
    expect((await raw('DELETE', '/__admin/faults', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await sb.admin.faults()).toHaveLength(1); // nothing changed
  });

  it('never shows the app secret in /__admin/config', async () => {
    const res = await raw('GET', '/__admin/config');
    expect(res.status).toBe(200);
    expect(res.body).toContain('sandbox-app-key');
    expect(res.body).not.toContain('sandbox-app-secret');
  });
});
