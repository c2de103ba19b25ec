import { afterEach, describe, expect, it } from 'vitest';
import {
  clearTokenCache,
  createDingTalkClient,
  DingTalkCallError,
  DingTalkTransportError,
  type ClientEvent,
  type ClientOptions,
  type DingTalkClient,
} from '../../src/io/dingtalk/index.js';
import { APP, FAST, GETTOKEN, PROGRESS, SEND, startScriptServer, type Reply, type Script, type ScriptServer } from './script-server.js';

let server: ScriptServer;
let client: DingTalkClient;
let events: ClientEvent[];
afterEach(async () => {
  await client?.close();
  await server?.close();
  clearTokenCache();
});

async function setup(script: Script, opts: Partial<ClientOptions> = {}): Promise<DingTalkClient> {
  server = await startScriptServer(script);
  events = [];
  client = createDingTalkClient({ baseUrl: server.url, ...APP, ...FAST, onEvent: (e) => events.push(e), ...opts });
  return client;
}

const msg = { msgtype: 'text', text: { content: 'hi' } };
const send = (c: DingTalkClient) => c.sendMessage({ userids: ['u1'], msg });
const err = (errcode: number, extra: object = {}): Reply => ({ json: { errcode, errmsg: `e${errcode}`, ...extra } });
const times = (n: number, r: Reply): Reply[] => Array.from({ length: n }, () => structuredClone(r));
const BAN_HTML: Reply = { text: '<!DOCTYPE html><html><body>访问被拒绝</body></html>' };
const BAN_JSON: Reply = { json: { status: 1111, wait: 5, source: 'x5', punish: 'deny' } };

describe('retries until success', () => {
  it.each<[string, Reply[], { attempts: number; unknownOutcomes: number }]>([
    ['-1 system busy', [err(-1)], { attempts: 2, unknownOutcomes: 0 }],
    ['90018 ×3', times(3, err(90018)), { attempts: 4, unknownOutcomes: 0 }],
    ['90002, 1430003', [err(90002), err(1430003)], { attempts: 3, unknownOutcomes: 0 }],
    ['HTTP 502 ×2', times(2, { text: 'bad gateway', status: 502, contentType: 'text/plain' }), { attempts: 3, unknownOutcomes: 2 }],
    ['a dropped connection', [{ destroy: true }], { attempts: 2, unknownOutcomes: 1 }],
    ['the IP-ban HTML page', [BAN_HTML], { attempts: 2, unknownOutcomes: 0 }],
    ['status:1111', [BAN_JSON], { attempts: 2, unknownOutcomes: 0 }],
    ['a JSON errcode inside HTTP 500', [{ json: { errcode: 500, errmsg: 'system error' }, status: 500 }], { attempts: 2, unknownOutcomes: 0 }],
  ])('after %s', async (_name, replies, expected) => {
    const c = await setup({ [SEND]: replies });
    expect(await send(c)).toEqual({ taskId: 1001, ...expected });
    expect(server.calls(SEND)).toHaveLength(expected.attempts);
  });

  it('reports throttling as throttled events, waiting at least throttleWaitMs', async () => {
    const c = await setup({ [SEND]: times(2, err(90018)) }, { throttleWaitMs: 15, random: () => 0 });
    await send(c);
    const throttled = events.filter((e) => e.type === 'throttled');
    expect(throttled.map((e) => [e.errcode, e.attempt, e.delayMs])).toEqual([[90018, 1, 15], [90018, 2, 15]]);
  });

  it('waits at least 1 s after 90018 by default', async () => {
    const { retryBaseMs: _b, throttleWaitMs: _t, ...fastButThrottle } = FAST;
    server = await startScriptServer({ [SEND]: [err(90018)] });
    events = [];
    client = createDingTalkClient({ baseUrl: server.url, ...APP, ...fastButThrottle, retryBaseMs: 1, random: () => 0, onEvent: (e) => events.push(e) });
    await send(client);
    const [first, second] = server.calls(SEND);
    expect(events.find((e) => e.type === 'throttled')).toMatchObject({ delayMs: 1000 });
    expect((second?.arrivedAt ?? 0) - (first?.arrivedAt ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('times out a request that never answers and counts it as unknown', async () => {
    const c = await setup({ [SEND]: [{ hang: true }] }, { timeoutMs: 150 });
    expect(await send(c)).toEqual({ taskId: 1001, attempts: 2, unknownOutcomes: 1 });
    expect(events[1]).toMatchObject({ type: 'retry', transport: 'timeout', outcomeUnknown: true, attempt: 1 });
  });
});

describe('gives up', () => {
  it.each<[string, number, 'fail' | 'defer']>([
    ['invalid userid list', 40031, 'fail'],
    ['monthly quota', 90020, 'fail'],
    ['to_all_user daily cap', 41045, 'defer'],
    ['an unknown code', 777777, 'fail'],
  ])('at once on %s', async (_name, errcode, errClass) => {
    const c = await setup({ [SEND]: [err(errcode, { request_id: 'req-9' })] });
    const e = await send(c).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkCallError);
    expect(e).toMatchObject({ name: 'DingTalkError', endpoint: SEND, errcode, errmsg: `e${errcode}`, errClass, attempts: 1, requestId: 'req-9' });
    expect(server.calls(SEND)).toHaveLength(1);
  });

  it('after maxAttempts retryable answers', async () => {
    const c = await setup({ [SEND]: times(3, err(-1)) }, { maxAttempts: 3 });
    await expect(send(c)).rejects.toMatchObject({ errcode: -1, errClass: 'retry', attempts: 3 });
    expect(server.calls(SEND)).toHaveLength(3);
  });

  it.each<[string, Reply, string, number]>([
    ['dropped connections', { destroy: true }, 'network', 3],
    ['5xx', { text: 'oops', status: 503, contentType: 'text/plain' }, 'http-status', 3],
    ['an answer that is not DingTalk JSON', { text: '{"hello":1}', contentType: 'application/json' }, 'not-json', 0],
  ])('after maxAttempts of %s, with the kind and counts', async (_name, reply, kind, unknownOutcomes) => {
    const c = await setup({ [SEND]: times(3, reply) }, { maxAttempts: 3 });
    const e = await send(c).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkTransportError);
    expect(e).toMatchObject({ name: 'TransportError', endpoint: SEND, kind, attempts: 3, unknownOutcomes });
  });

  it('at errcode -1 after 3 tries, even with more allowed ("retry at most 3 times")', async () => {
    const c = await setup({ [SEND]: times(4, err(-1)) }, { maxAttempts: 5 });
    await expect(send(c)).rejects.toMatchObject({ errcode: -1, attempts: 3 });
    expect(server.calls(SEND)).toHaveLength(3);
  });

  it.each([
    ['HTML', BAN_HTML],
    ['status:1111', BAN_JSON],
  ])('after an IP ban (%s) that outlasts one wait: stops with a clear message instead of hammering', async (_name, ban) => {
    const c = await setup({ [SEND]: times(3, ban) }, { maxAttempts: 5, ipBanWaitMs: 40 });
    const e = await send(c).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkTransportError);
    expect(e).toMatchObject({ kind: 'ip-ban', attempts: 2, unknownOutcomes: 0 });
    expect(String((e as Error).message)).toMatch(/bans an IP for 5 minutes.*Run again in 5 minutes/);
    expect(events.filter((x) => x.type === 'retry').map((x) => (x as { delayMs: number }).delayMs)).toEqual([40]);
    expect(server.calls(SEND)).toHaveLength(2);
  });

  it('at once on an IP ban when told not to wait (ipBanWaitMs 0)', async () => {
    const c = await setup({ [SEND]: [BAN_HTML] }, { ipBanWaitMs: 0 });
    await expect(send(c)).rejects.toMatchObject({ kind: 'ip-ban', attempts: 1 });
    expect(server.calls(SEND)).toHaveLength(1);
  });

  it('at once on a 4xx that is not an IP ban (a wrong base URL)', async () => {
    const c = await setup({ [SEND]: [{ text: 'not found', status: 404, contentType: 'text/plain' }] });
    await expect(send(c)).rejects.toMatchObject({ kind: 'http-status', status: 404, attempts: 1 });
  });

  it('when the server is not there, as a connect error (request never left)', async () => {
    const c = await setup({}, { maxAttempts: 2 });
    await server.close();
    await expect(c.getSendProgress(1)).rejects.toMatchObject({ kind: 'connect', endpoint: GETTOKEN, attempts: 2, unknownOutcomes: 0 });
  });
});

describe('other endpoints retry the same way', () => {
  it('getSendProgress after 500 and a dropped connection: 3 tries, each metered', async () => {
    const c = await setup({ [PROGRESS]: [err(500), { destroy: true }] });
    expect(await c.getSendProgress(5)).toEqual({ progress: { percent: 100, status: 2 }, attempts: 3 });
    expect(events.map((e) => e.type)).toEqual(['token-refresh', 'retry', 'retry']);
  });
});
