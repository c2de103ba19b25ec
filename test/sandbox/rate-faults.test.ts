import { errors, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { APP, call, send, T0, text, token, type Json } from './_client.js';

let sb: Sandbox;
async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sb = await startSandbox({ now: T0, ...options });
  return sb;
}
afterEach(() => sb.close());

async function burst(n: number, endpoint = 'asyncsend_v2'): Promise<number[]> {
  const tok = await token(sb);
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      call(sb, endpoint, { agent_id: APP.agent_id, userid_list: 'sandbox-alice', task_id: 1, msg: text(`burst ${i}`) }, { token: tok }),
    ),
  );
  return answers.map((a) => a.errcode);
}

describe('20 calls per second per app per API (90018)', () => {
  it('refuses what goes over 20 in one second when fired concurrently', async () => {
    await start();
    // Warm up (first msg validation compiles the schema) so the burst fits in one second even on a busy machine.
    await send(sb, { userid_list: 'sandbox-bob' });
    const codes = await burst(40);
    expect(codes.filter((c) => c === 90018).length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 0 || c === 90018)).toBe(true);
    expect(sb.state.callLog().filter((c) => c.errcode === 90018)).toHaveLength(codes.filter((c) => c === 90018).length);
  });

  it('counts each API separately', async () => {
    await start({ qpsPerApi: 2 });
    const codes = await burst(3);
    expect(codes.filter((c) => c === 90018)).toHaveLength(1);
    // getsendprogress has its own budget: task 1 is unknown (40035), not rate-limited.
    expect(await burst(2, 'getsendprogress')).toEqual([40035, 40035]);
  });

  it('is off with qpsPerApi 0', async () => {
    await start({ qpsPerApi: 0 });
    expect((await burst(40)).every((c) => c === 0)).toBe(true);
  });
});

describe('fault injection', () => {
  it('answers a given errcode on the next N calls of one endpoint (config)', async () => {
    await start({ faults: [{ kind: 'errcode', errcode: -1, errmsg: '系统繁忙', count: 2, endpoint: 'asyncsend_v2' }] });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await send(sb, { userid_list: 'sandbox-alice', msg: text(`e${i}`) })).errcode);
    expect(codes).toEqual([-1, -1, 0]);
    expect(sb.state.calls().asyncsend_v2).toBe(3);
    expect(sb.state.calls().gettoken).toBe(3); // gettoken was not hit by the asyncsend_v2 fault
  });

  it('answers HTTP 5xx N times, then recovers', async () => {
    await start({ faults: [{ kind: 'http', status: 502, count: 2, endpoint: 'gettoken' }] });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(`${sb.url}/gettoken?appkey=${APP.appkey}&appsecret=${APP.appsecret}`);
      statuses.push(res.statusCode);
      await res.body.text();
    }
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('drops connections N times (admin endpoint)', async () => {
    await start();
    const res = await request(`${sb.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'drop', count: 1, endpoint: 'asyncsend_v2' }),
    });
    expect(((await res.body.json()) as Json).faults).toEqual([{ kind: 'drop', count: 1, endpoint: 'asyncsend_v2', remaining: 1 }]);
    const tok = await token(sb);
    await expect(send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).rejects.toBeInstanceOf(errors.SocketError);
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).errcode).toBe(0);
    expect(sb.admin.faults()).toEqual([]);
  });

  it('takes a flat errcode fault over the admin API and answers with it', async () => {
    await start();
    const res = await request(`${sb.url}/__admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'errcode', errcode: 41044, count: 1, endpoint: 'asyncsend_v2' }),
    });
    expect(res.statusCode).toBe(200);
    await res.body.text();
    const tok = await token(sb);
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).errcode).toBe(41044);
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).errcode).toBe(0);
  });

  it('adds latency', async () => {
    await start({ faults: [{ kind: 'latency', ms: 300, count: 1 }] });
    const started = performance.now();
    await token(sb);
    // A lower bound only: setTimeout never fires early, so this cannot flake on a slow machine.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(sb.admin.faults()).toEqual([]);
  });

  it('lists and clears faults over the admin API', async () => {
    await start({ faults: [{ kind: 'latency', ms: 5 }] });
    expect(((await (await request(`${sb.url}/__admin/faults`)).body.json()) as Json).faults).toEqual([{ kind: 'latency', ms: 5, remaining: null }]);
    await (await request(`${sb.url}/__admin/faults`, { method: 'DELETE' })).body.text();
    expect(sb.admin.faults()).toEqual([]);
    const bad = await request(`${sb.url}/__admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"explode"}' });
    expect(bad.statusCode).toBe(400);
    await bad.body.text();
  });
});
