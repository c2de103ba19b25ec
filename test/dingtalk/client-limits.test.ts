import { afterEach, describe, expect, it } from 'vitest';
import { clearTokenCache, createDingTalkClient, type ClientOptions, type DingTalkClient } from '../../src/io/dingtalk/index.js';
import { APP, FAST, latch, PROGRESS, SEND, startScriptServer, type Script, type ScriptServer } from './script-server.js';

let server: ScriptServer;
let client: DingTalkClient;
afterEach(async () => {
  await client?.close();
  await server?.close();
  clearTokenCache();
});

async function setup(opts: Partial<ClientOptions>, script: Script = {}): Promise<DingTalkClient> {
  server = await startScriptServer(script);
  client = createDingTalkClient({ baseUrl: server.url, ...APP, ...FAST, ...opts });
  return client;
}

const msg = { msgtype: 'text', text: { content: 'hi' } };
const send = (c: DingTalkClient, i: number) => c.sendMessage({ userids: [`u${i}`], msg });

/** Most arrivals seen in any window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while ((t[j] ?? 0) - (t[i] ?? 0) >= windowMs) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

describe('rate limit per API', () => {
  it('never lets a burst exceed callsPerSecond in any rolling second', async () => {
    const c = await setup({ callsPerSecond: 10 });
    const out = await Promise.all(Array.from({ length: 35 }, (_, i) => send(c, i)));
    expect(new Set(out.map((o) => o.taskId)).size).toBe(35);
    // Counted where DingTalk counts: at the server, over a full rolling second.
    const arrivals = server.calls(SEND).map((s) => s.arrivedAt);
    expect(busiestWindow(arrivals, 1000)).toBe(10); // up to the limit, never past it
  });

  it('limits each API on its own: progress polls do not wait behind throttled sends', async () => {
    const c = await setup({ callsPerSecond: 2 });
    const sends = Array.from({ length: 6 }, (_, i) => send(c, i));
    await server.whenSeen(SEND, 2); // the first second's two sends went out; the other four wait for the next windows
    await Promise.all([c.getSendProgress(1), c.getSendProgress(2)]);
    await Promise.all(sends);
    const order = server.seen.filter((s) => s.path === SEND || s.path === PROGRESS).map((s) => (s.path === SEND ? 'S' : 'P'));
    expect(order.join('')).toBe('SSPPSSSS');
  });

  it('0 means unlimited', async () => {
    const c = await setup({ callsPerSecond: 0 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => send(c, i)));
    expect(busiestWindow(server.calls(SEND).map((s) => s.arrivedAt), 1000)).toBeGreaterThan(20);
  });
});

describe('concurrency', () => {
  it.each([1, 3])('keeps at most %i requests in flight', async (concurrency) => {
    // Each answer waits until `concurrency` requests are in flight at once (or all 12 have arrived): the client must
    // fill its slots, and may not go past them.
    let full = latch();
    const c = await setup({ callsPerSecond: 0, concurrency }, {
      [SEND]: (seen) => {
        const reply = { json: { errcode: 0, task_id: 1 }, until: full.opened };
        if (seen.inFlight >= concurrency || server.calls(SEND).length === 12) {
          full.open();
          full = latch();
        }
        return reply;
      },
    });
    await Promise.all(Array.from({ length: 12 }, (_, i) => send(c, i)));
    expect(Math.max(...server.calls(SEND).map((s) => s.inFlight))).toBe(concurrency);
  });
});
