import { afterEach, describe, expect, it } from 'vitest';
import {
  clearTokenCache,
  createDingTalkClient,
  DingTalkCallError,
  type ClientEvent,
  type ClientOptions,
  type DingTalkClient,
} from '../../src/io/dingtalk/index.js';
import { APP, FAST, GETTOKEN, latch, SEND, startScriptServer, type Reply, type Script, type ScriptServer } from './script-server.js';

let server: ScriptServer;
const clients: DingTalkClient[] = [];
let events: ClientEvent[];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.close();
  clearTokenCache();
});

async function start(script: Script = {}): Promise<void> {
  server = await startScriptServer(script);
  events = [];
}
function open(opts: Partial<ClientOptions> = {}): DingTalkClient {
  const c = createDingTalkClient({ baseUrl: server.url, ...APP, ...FAST, onEvent: (e) => events.push(e), ...opts });
  clients.push(c);
  return c;
}

const msg = { msgtype: 'text', text: { content: 'hi' } };
const send = (c: DingTalkClient) => c.sendMessage({ userids: ['u1'], msg });
const err = (errcode: number, extra: object = {}): Reply => ({ json: { errcode, errmsg: `e${errcode}`, ...extra } });
const tokensUsed = (): (string | null)[] => server.calls(SEND).map((s) => s.query.get('access_token'));

describe('token refresh on rejection', () => {
  it.each([42001, 40014, 40001, 33001])('%i: drops the token, fetches a new one, retries once', async (code) => {
    await start({ [SEND]: [err(code)] });
    expect(await send(open())).toEqual({ taskId: 1001, attempts: 2, unknownOutcomes: 0 });
    expect(server.calls(GETTOKEN)).toHaveLength(2);
    expect(tokensUsed()).toEqual(['token-1', 'token-2']);
    expect(events.filter((e) => e.type.startsWith('token'))).toEqual([
      { type: 'token-refresh', reason: 'initial' },
      { type: 'token-rejected', endpoint: SEND, errcode: code, errmsg: `e${code}` },
      { type: 'token-refresh', reason: 'rejected' },
    ]);
  });

  it('treats errcode 88 with a token sub_code as a token problem', async () => {
    await start({ [SEND]: [err(88, { sub_code: '40014' })] });
    expect(await send(open())).toMatchObject({ attempts: 2 });
  });

  it('refreshes only once: a second rejection fails', async () => {
    await start({ [SEND]: [err(42001), err(42001), err(0)] });
    const e = await send(open()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkCallError);
    expect(e).toMatchObject({ errcode: 42001, errClass: 'refresh-token', attempts: 2 });
    expect(server.calls(SEND)).toHaveLength(2);
  });

  it('concurrent rejected calls share one new token', async () => {
    let task = 0;
    await start({
      [SEND]: (s) => (s.query.get('access_token') === 'token-1' ? err(42001) : { json: { errcode: 0, task_id: ++task } }),
    });
    const c = open();
    const out = await Promise.all(Array.from({ length: 5 }, () => send(c)));
    expect(out.map((o) => o.attempts)).toEqual([2, 2, 2, 2, 2]);
    expect(server.calls(GETTOKEN)).toHaveLength(2);
    expect(tokensUsed().filter((t) => t === 'token-2')).toHaveLength(5);
  });
});

describe('bad credentials at gettoken', () => {
  it.each([40089, 40001])('%i fails at once without retry, naming gettoken', async (code) => {
    await start({ [GETTOKEN]: [err(code, { errmsg: 'invalid appkey or appsecret' })] });
    const e = await send(open()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkCallError);
    expect(e).toMatchObject({ endpoint: GETTOKEN, errcode: code, errClass: 'fail', attempts: 1 });
    expect(server.calls(GETTOKEN)).toHaveLength(1);
    expect(server.calls(SEND)).toHaveLength(0);
  });

  it('retries gettoken itself on system busy', async () => {
    await start({ [GETTOKEN]: [err(-1), { destroy: true }] });
    expect(await send(open())).toMatchObject({ attempts: 1 });
    expect(server.calls(GETTOKEN)).toHaveLength(3);
  });
});

describe('token cache', () => {
  it('shares one in-flight gettoken among concurrent callers and clients of the same app', async () => {
    // The token answer waits until the test has seen the request: every caller asks while it is in flight.
    const answer = latch();
    await start({ [GETTOKEN]: [{ json: { errcode: 0, access_token: 'shared', expires_in: 7200 }, until: answer.opened }] });
    const [a, b] = [open(), open()];
    const all = Promise.all([send(a), send(a), send(b), a.getSendProgress(1), b.getSendResult(1)]);
    await server.whenSeen(GETTOKEN, 1);
    answer.open();
    await all;
    expect(server.calls(GETTOKEN)).toHaveLength(1);
    expect(new Set(server.seen.filter((s) => s.path !== GETTOKEN).map((s) => s.query.get('access_token')))).toEqual(new Set(['shared']));
  });

  it('keeps apps apart: another appKey or secret gets its own token', async () => {
    await start();
    await send(open());
    await send(open({ appKey: 'other-app' }));
    await send(open({ appSecret: 'another-secret' }));
    expect(tokensUsed()).toEqual(['token-1', 'token-2', 'token-3']);
  });

  it('refreshes ahead of expiry by the margin', async () => {
    await start();
    let now = 1_000_000;
    const c = open({ now: () => now, tokenRefreshMarginMs: 300_000 });
    await send(c);
    now += 7200_000 - 300_000 - 1; // just inside the window
    await send(c);
    now += 2; // past expiry minus margin
    await send(c);
    await send(c);
    expect(tokensUsed()).toEqual(['token-1', 'token-1', 'token-2', 'token-2']);
    expect(events.filter((e) => e.type === 'token-refresh')).toEqual([
      { type: 'token-refresh', reason: 'initial' },
      { type: 'token-refresh', reason: 'expiring' },
    ]);
  });

  it('caps the margin at half the life of a short-lived token', async () => {
    await start({ [GETTOKEN]: [{ json: { errcode: 0, access_token: 'short', expires_in: 60 } }] });
    let now = 0;
    const c = open({ now: () => now });
    await send(c);
    now = 29_000;
    await send(c);
    now = 31_000;
    await send(c);
    expect(tokensUsed()).toEqual(['short', 'short', 'token-1']);
  });
});
