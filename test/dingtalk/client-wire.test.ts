import { afterEach, describe, expect, it } from 'vitest';
import { clearTokenCache, createDingTalkClient, type DingTalkClient } from '../../src/io/dingtalk/index.js';
import { APP, FAST, GETTOKEN, PROGRESS, RECALL, RESULT, SEND, STATUS_BAR, startScriptServer, type Script, type ScriptServer } from './script-server.js';

let server: ScriptServer;
let client: DingTalkClient;
afterEach(async () => {
  await client?.close();
  await server?.close();
  clearTokenCache();
});

async function setup(script: Script = {}): Promise<DingTalkClient> {
  server = await startScriptServer(script);
  client = createDingTalkClient({ baseUrl: `${server.url}/`, ...APP, ...FAST });
  return client;
}

const msg = { msgtype: 'text', text: { content: '你好' } };

describe('wire format', () => {
  it('fetches a token with appkey/appsecret, then posts JSON with the token in the query', async () => {
    const c = await setup();
    const out = await c.sendMessage({ userids: ['u1', 'u2'], deptIds: [5], msg });
    expect(out).toEqual({ taskId: 1001, attempts: 1, unknownOutcomes: 0 });

    const [tok] = server.calls(GETTOKEN);
    expect(tok?.method).toBe('GET');
    expect(Object.fromEntries(tok?.query ?? [])).toEqual({ appkey: APP.appKey, appsecret: APP.appSecret });

    const [send] = server.calls(SEND);
    expect(send?.method).toBe('POST');
    expect(send?.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(Object.fromEntries(send?.query ?? [])).toEqual({ access_token: 'token-1' });
    expect(send?.body).toEqual({ agent_id: APP.agentId, userid_list: 'u1,u2', dept_id_list: '5', msg });
  });

  it('omits unused selectors and never sends to_all_user:false', async () => {
    const c = await setup();
    await c.sendMessage({ userids: ['u1'], toAll: false, deptIds: [], msg });
    await c.sendMessage({ toAll: true, msg });
    const bodies = server.calls(SEND).map((s) => s.body);
    expect(bodies).toEqual([
      { agent_id: APP.agentId, userid_list: 'u1', msg },
      { agent_id: APP.agentId, to_all_user: true, msg },
    ]);
  });

  it('sends the documented bodies for progress, result, recall and status bar', async () => {
    const c = await setup({ [PROGRESS]: [{ json: { errcode: 0, progress: { progress_in_percent: 40, status: 1 } } }] });
    expect(await c.getSendProgress(77)).toEqual({ progress: { percent: 40, status: 1 }, attempts: 1 });
    expect((await c.getSendResult(77)).attempts).toBe(1);
    expect(await c.recall(77)).toEqual({ attempts: 1 });
    expect(await c.updateStatusBar(77, '已同意')).toEqual({ attempts: 1 });
    await c.updateStatusBar(77, '已拒绝', '0xFFF65E5E');
    const body = (path: string, i = 0): unknown => server.calls(path)[i]?.body;
    expect(body(PROGRESS)).toEqual({ agent_id: APP.agentId, task_id: 77 });
    expect(body(RESULT)).toEqual({ agent_id: APP.agentId, task_id: 77 });
    expect(body(RECALL)).toEqual({ agent_id: APP.agentId, msg_task_id: 77 });
    expect(body(STATUS_BAR)).toEqual({ agent_id: APP.agentId, task_id: 77, status_value: '已同意' });
    expect(body(STATUS_BAR, 1)).toEqual({ agent_id: APP.agentId, task_id: 77, status_value: '已拒绝', status_bg: '0xFFF65E5E' });
    expect(server.calls(GETTOKEN)).toHaveLength(1);
  });
});

describe('getSendResult', () => {
  const EMPTY = {
    invalid_user_id_list: [], forbidden_user_id_list: [], failed_user_id_list: [], read_user_id_list: [],
    unread_user_id_list: [], invalid_dept_id_list: [], forbidden_list: [],
  };
  it.each([
    ['arrays', { read_user_id_list: ['a', 'b'], invalid_dept_id_list: [12] }, { read_user_id_list: ['a', 'b'], invalid_dept_id_list: ['12'] }],
    ['comma strings', { unread_user_id_list: 'zhangsan,lisi', invalid_user_id_list: '' }, { unread_user_id_list: ['zhangsan', 'lisi'] }],
    ['missing lists', {}, {}],
    [
      'forbidden reasons',
      { forbidden_user_id_list: ['u9'], forbidden_list: [{ code: '143106', count: 1, userid: 'u9' }, { code: 143105, count: 500, userid: 'u8' }] },
      { forbidden_user_id_list: ['u9'], forbidden_list: [{ code: '143106', count: 1, userid: 'u9' }, { code: '143105', count: 500, userid: 'u8' }] },
    ],
  ])('parses %s', async (_name, sendResult, expected) => {
    const c = await setup({ [RESULT]: [{ json: { errcode: 0, send_result: sendResult } }] });
    expect(await c.getSendResult(1)).toEqual({ result: { ...EMPTY, ...expected }, attempts: 1 });
  });
});

describe('options', () => {
  it.each([
    [{ baseUrl: 'oapi.dingtalk.com' }, /base URL/],
    [{ baseUrl: 'ftp://x' }, /base URL/],
    [{ baseUrl: 'https://x/?access_token=leak' }, /base URL "https:\/\/x\/\?access_token=<redacted>"/],
    [{ appKey: '' }, /app key is empty/],
    [{ appSecret: '' }, /app secret is empty/],
    [{ agentId: Number.NaN }, /agent_id must be a positive whole number/],
    [{ agentId: -1 }, /agent_id/],
  ])('refuses %j before any request', (bad, message) => {
    const opts = { baseUrl: 'https://oapi.dingtalk.com', ...APP, ...bad };
    expect(() => createDingTalkClient(opts)).toThrow(expect.objectContaining({ name: 'UserError', message: expect.stringMatching(message) as unknown }));
  });
});

describe('answers that cannot be trusted', () => {
  it('rejects a task_id beyond 2^53 instead of rounding it, without resending', async () => {
    const c = await setup({ [SEND]: [{ json: { errcode: 0, task_id: 2 ** 60 } }] });
    await expect(c.sendMessage({ userids: ['u1'], msg })).rejects.toThrow(/valid task_id/);
    expect(server.calls(SEND)).toHaveLength(1);
  });

  it('fails calls after close() with a closed transport error', async () => {
    const c = await setup();
    await c.close();
    await expect(c.getSendProgress(1)).rejects.toMatchObject({ name: 'TransportError', kind: 'closed' });
  });
});
