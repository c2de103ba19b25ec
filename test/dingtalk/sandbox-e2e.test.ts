// End to end against dingcast's DingTalk emulator (src/sandbox) over a real loopback socket.
import { afterEach, describe, expect, it } from 'vitest';
import {
  clearTokenCache,
  createDingTalkClient,
  DingTalkCallError,
  type ClientEvent,
  type ClientOptions,
  type DingTalkClient,
} from '../../src/io/dingtalk/index.js';
import { startSandbox, type FaultSpec, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { FAST } from './script-server.js';

const SANDBOX_APP = { appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 };
const T0 = new Date('2026-03-16T01:00:00Z'); // 09:00 on a Monday in Asia/Shanghai
const directory = {
  users: [
    { userid: 'a', name: 'A', dept_ids: [10] },
    { userid: 'b', name: 'B', dept_ids: [11] },
    { userid: 'c', name: 'C', dept_ids: [1] },
  ],
  departments: [{ id: 1, name: 'corp' }, { id: 10, name: 'dev', parent_id: 1 }, { id: 11, name: 'dev-web', parent_id: 10 }],
};

let sb: Sandbox;
let client: DingTalkClient;
let events: ClientEvent[];
afterEach(async () => {
  await client?.close();
  await sb?.close();
  clearTokenCache();
});

async function setup(sandbox: SandboxOptions, opts: Partial<ClientOptions> = {}): Promise<DingTalkClient> {
  sb = await startSandbox({ config: { directory }, ...sandbox });
  events = [];
  client = createDingTalkClient({ baseUrl: sb.url, ...SANDBOX_APP, ...FAST, onEvent: (e) => events.push(e), ...opts });
  return client;
}

const text = (content: string) => ({ msgtype: 'text', text: { content } });
const errcodesSeen = (): (number | null)[] => sb.state.callLog().map((c) => c.errcode);

describe('a send followed to its result', () => {
  it.each(['array', 'string'] as const)('with result lists as %s', async (resultListsAs) => {
    const c = await setup({ now: T0, resultListsAs }, { now: () => sb.clock.now() });
    const { taskId, attempts } = await c.sendMessage({ userids: ['a', 'ghost'], deptIds: [11, 424242], msg: text('release 1.4.0') });
    expect(attempts).toBe(1);
    expect((await c.getSendProgress(taskId)).progress.status).toBe(0);
    sb.clock.advance(60_000);
    expect(await c.getSendProgress(taskId)).toEqual({ progress: { percent: 100, status: 2 }, attempts: 1 });
    sb.admin.markRead('a', taskId);
    expect((await c.getSendResult(taskId)).result).toEqual({
      invalid_user_id_list: ['ghost'],
      forbidden_user_id_list: [],
      failed_user_id_list: [],
      read_user_id_list: ['a'],
      unread_user_id_list: ['b'],
      invalid_dept_id_list: ['424242'],
      forbidden_list: [],
    });
  });

  it('reads back the once-a-day rule as forbidden with its reason', async () => {
    const c = await setup({ now: T0 }, { now: () => sb.clock.now() });
    await c.sendMessage({ userids: ['a', 'c'], msg: text('same') });
    const { taskId } = await c.sendMessage({ userids: ['a'], msg: text('same') });
    sb.clock.advance(60_000);
    expect((await c.getSendResult(taskId)).result).toMatchObject({
      forbidden_user_id_list: ['a'],
      forbidden_list: [{ code: '143106', count: 1, userid: 'a' }],
    });
  });

  it('recalls a message and updates nothing it should not', async () => {
    const c = await setup({ now: T0 }, { now: () => sb.clock.now() });
    const { taskId } = await c.sendMessage({ userids: ['c'], msg: text('oops') });
    sb.clock.advance(60_000);
    await c.recall(taskId);
    expect(sb.state.task(taskId)?.recalled_at).not.toBeNull();
  });
});

describe('token expiry on the sandbox clock', () => {
  it('refreshes ahead of expiry when the client shares the clock: no 42001 ever', async () => {
    const c = await setup({ now: T0 }, { now: () => sb.clock.now() });
    await c.sendMessage({ userids: ['a'], msg: text('1') });
    sb.clock.advance(7200_000 - 200_000); // inside the 5-minute margin, still valid at DingTalk
    await c.sendMessage({ userids: ['a'], msg: text('2') });
    sb.clock.advance(7000_000); // past the second token's refresh point, short of its extended expiry
    await c.sendMessage({ userids: ['a'], msg: text('3') });
    expect(errcodesSeen()).not.toContain(42001);
    expect(events.filter((e) => e.type === 'token-refresh').map((e) => e.type === 'token-refresh' && e.reason)).toEqual(['initial', 'expiring', 'expiring']);
    expect(sb.state.calls().gettoken).toBe(3);
  });

  it('recovers from 42001 when the client clock disagrees: one refresh, one retry', async () => {
    const c = await setup({ now: T0 }); // client keeps real time
    await c.sendMessage({ userids: ['a'], msg: text('1') });
    sb.clock.advance(7201_000);
    expect(await c.sendMessage({ userids: ['a'], msg: text('2') })).toMatchObject({ attempts: 2, unknownOutcomes: 0 });
    expect(errcodesSeen().filter((e) => e === 42001)).toHaveLength(1);
    expect(sb.state.calls().gettoken).toBe(2);
  });
});

describe('the 20-per-second cap (90018)', () => {
  const burst = (c: DingTalkClient) =>
    Promise.all(Array.from({ length: 100 }, (_, i) => c.sendMessage({ userids: ['a'], msg: text(`burst ${i}`) })));

  it('a burst of 100 sends with the limiter on never meets 90018', async () => {
    const c = await setup({});
    const out = await burst(c);
    expect(out.every((o) => o.attempts === 1)).toBe(true);
    expect(sb.state.calls().asyncsend_v2).toBe(100);
    expect(errcodesSeen()).not.toContain(90018);
  });

  it('without the limiter the sandbox does throttle, and retries still deliver every send', async () => {
    const c = await setup({}, { callsPerSecond: 0, maxAttempts: 50, throttleWaitMs: 100, retryBaseMs: 50, retryMaxMs: 400 });
    const out = await burst(c);
    expect(new Set(out.map((o) => o.taskId)).size).toBe(100);
    expect(errcodesSeen().filter((e) => e === 90018).length).toBeGreaterThan(0);
    expect(events.some((e) => e.type === 'throttled' && e.errcode === 90018)).toBe(true);
  });
});

describe('injected faults', () => {
  it.each<[string, FaultSpec, { attempts: number; unknownOutcomes: number }]>([
    ['90018 ×3', { kind: 'errcode', errcode: 90018, count: 3, endpoint: 'asyncsend_v2' }, { attempts: 4, unknownOutcomes: 0 }],
    ['-1 system busy', { kind: 'errcode', errcode: -1, count: 1, endpoint: 'asyncsend_v2' }, { attempts: 2, unknownOutcomes: 0 }],
    ['HTTP 502 ×2', { kind: 'http', status: 502, count: 2, endpoint: 'asyncsend_v2' }, { attempts: 3, unknownOutcomes: 2 }],
    ['a dropped connection', { kind: 'drop', count: 1, endpoint: 'asyncsend_v2' }, { attempts: 2, unknownOutcomes: 1 }],
    ['a dropped gettoken', { kind: 'drop', count: 1, endpoint: 'gettoken' }, { attempts: 1, unknownOutcomes: 0 }],
    ['latency past the timeout', { kind: 'latency', ms: 400, count: 1, endpoint: 'asyncsend_v2' }, { attempts: 2, unknownOutcomes: 1 }],
  ])('%s', async (_name, fault, expected) => {
    const c = await setup({ faults: [fault] }, { timeoutMs: 200 });
    expect(await c.sendMessage({ userids: ['a'], msg: text('x') })).toMatchObject(expected);
  });

  it('fails at once on an input error and says how many attempts it took', async () => {
    const c = await setup({ faults: [{ kind: 'errcode', errcode: 40031, count: 1, endpoint: 'asyncsend_v2' }] });
    const e = await c.sendMessage({ userids: ['a'], msg: text('x') }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkCallError);
    expect(e).toMatchObject({ errcode: 40031, errClass: 'fail', attempts: 1, unknownOutcomes: 0 });
  });

  it('refuses a wrong secret at gettoken without retrying or echoing it', async () => {
    const c = await setup({}, { appSecret: 'wrong-secret-value' });
    const e = await c.sendMessage({ userids: ['a'], msg: text('x') }).catch((x: unknown) => x);
    expect(e).toMatchObject({ endpoint: '/gettoken', errcode: 40001, errClass: 'fail', attempts: 1 });
    expect(String(e)).not.toContain('wrong-secret-value');
    expect(sb.state.calls().gettoken).toBe(1);
  });
});
