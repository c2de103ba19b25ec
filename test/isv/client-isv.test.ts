// An ISV (third-party) app against `dingcast sandbox` in its own process: get_corp_token, ISV rules, sendbytemplate.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearTokenCache, createDingTalkClient, DingTalkCallError, type ClientEvent, type DingTalkClient } from '../../src/io/dingtalk/index.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { FAST } from '../dingtalk/script-server.js';

const SUITE = { suiteKey: 'sandbox-suite-key', suiteSecret: 'sandbox-suite-secret', suiteTicket: 'sandbox-suite-ticket', corpId: 'dingsandboxcorp' };
const AGENT = 100000002;

let sb: SandboxProcess;
let client: DingTalkClient | undefined;
let events: ClientEvent[];
beforeAll(async () => {
  sb = await startSandboxProcess();
});
afterAll(() => sb?.close());
afterEach(async () => {
  await client?.close();
  client = undefined;
  clearTokenCache();
  await sb.admin.reset();
});

function isvClient(isv: Partial<typeof SUITE> = {}): DingTalkClient {
  events = [];
  client = createDingTalkClient({ baseUrl: sb.url, appKey: '', appSecret: '', isv: { ...SUITE, ...isv }, agentId: AGENT, ...FAST, onEvent: (e) => events.push(e) });
  return client;
}

describe('an ISV app authenticates with get_corp_token', () => {
  it('sends with the corp token (never gettoken), fetched once and reused', async () => {
    const c = isvClient();
    const first = await c.sendMessage({ userids: ['zhangsan'], msg: { msgtype: 'text', text: { content: 'isv one' } } });
    const second = await c.sendMessage({ userids: ['lisi'], msg: { msgtype: 'text', text: { content: 'isv two' } } });
    expect(second.taskId).not.toBe(first.taskId);
    const calls = (await sb.admin.calls()).calls;
    expect(calls).toMatchObject({ get_corp_token: 1, gettoken: 0, asyncsend_v2: 2 });
    const tasks = await sb.admin.tasks();
    expect(tasks.map((t) => t.agent_id)).toEqual([AGENT, AGENT]);
  });

  it.each([
    ['a wrong suite secret (the signature does not verify)', { suiteSecret: 'not-the-secret' }, 853004],
    ['a wrong suite ticket', { suiteTicket: 'stale-ticket' }, 853005],
    ['another corp', { corpId: 'dingothercorp' }, 40089],
    ['an unknown suite key', { suiteKey: 'nope' }, 40089],
  ])('fails at once on %s, before anything is sent, and says nothing secret', async (_name, wrong, errcode) => {
    const c = isvClient(wrong);
    const e = await c.sendMessage({ userids: ['zhangsan'], msg: { msgtype: 'text', text: { content: 'never' } } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DingTalkCallError);
    expect(e).toMatchObject({ errcode, endpoint: '/service/get_corp_token', attempts: 1 });
    const calls = (await sb.admin.calls()).calls;
    expect(calls.asyncsend_v2).toBe(0);
    const text = JSON.stringify([String(e), (e as Error).message, events]);
    for (const secret of [SUITE.suiteSecret, SUITE.suiteTicket, 'not-the-secret', 'stale-ticket']) expect(text).not.toContain(secret);
  });

  it('cannot send to everyone (41028), and is capped at 100 messages a user a day (143105)', async () => {
    const c = isvClient();
    await expect(c.sendMessage({ toAll: true, msg: { msgtype: 'text', text: { content: 'all' } } })).rejects.toMatchObject({ errcode: 41028 });
    await sb.admin.setTunables({ daily_cap_isv: 2, qps_per_api: 0 });
    try {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await c.sendMessage({ userids: ['wangwu'], msg: { msgtype: 'text', text: { content: `n${i}` } } })).taskId);
      await sb.admin.clock({ advance: 60_000 });
      expect((await c.getSendResult(ids[1]!)).result.unread_user_id_list).toEqual(['wangwu']);
      expect((await c.getSendResult(ids[2]!)).result.forbidden_list).toEqual([{ code: '143105', count: 2, userid: 'wangwu' }]);
    } finally {
      await sb.admin.setTunables({ daily_cap_isv: 100, qps_per_api: 20 });
    }
  });
});

describe('sendbytemplate', () => {
  it('sends a reviewed template with its data as a JSON string; the inbox shows it filled in', async () => {
    const c = isvClient();
    const { taskId } = await c.sendByTemplate({ userids: ['zhangsan', 'lisi'], templateId: 'sandbox-template', data: { title: '发布通知', content: 'v2.3 今晚上线' } });
    const task = (await sb.admin.tasks()).find((t) => t.task_id === taskId);
    expect(task?.template).toEqual({ template_id: 'sandbox-template', data: { title: '发布通知', content: 'v2.3 今晚上线' } });
    await sb.admin.clock({ advance: 60_000 });
    const inbox = await sb.admin.inbox('lisi');
    expect(inbox[0]?.msg).toEqual({ msgtype: 'markdown', markdown: { title: 'dingcast sandbox template', text: '发布通知\n\nv2.3 今晚上线' } });
    expect((await c.getSendResult(taskId)).result.unread_user_id_list.sort()).toEqual(['lisi', 'zhangsan']);
  });

  it('refuses an unknown template (885001) and an internal app asking for one', async () => {
    const c = isvClient();
    await expect(c.sendByTemplate({ userids: ['zhangsan'], templateId: 'no-such', data: {} })).rejects.toMatchObject({ errcode: 885001 });
    await c.close();
    client = createDingTalkClient({ baseUrl: sb.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001, ...FAST });
    await expect(client.sendByTemplate({ userids: ['zhangsan'], templateId: 'sandbox-template', data: { title: 't', content: 'c' } })).rejects.toMatchObject({ errcode: 885001 });
    expect((await sb.admin.calls()).calls.sendbytemplate).toBe(2);
    expect(await sb.admin.tasks()).toEqual([]);
  });
});
