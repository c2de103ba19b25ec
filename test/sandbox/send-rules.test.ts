import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { APP, call, send, T0, text, token, type Json } from './_client.js';

const users = (n: number, prefix = 'u'): string => Array.from({ length: n }, (_, i) => `${prefix}${i}`).join(',');
const depts = (n: number): string => Array.from({ length: n }, (_, i) => String(1000 + i)).join(',');
const oa = (statusBar: boolean): Json => ({
  msgtype: 'oa',
  oa: {
    message_url: 'https://oa.example.com/1',
    head: { bgcolor: 'FFBBBBBB', text: '审批' },
    ...(statusBar ? { status_bar: { status_value: '进行中', status_bg: '0xFFF65E5E' } } : {}),
    body: { title: '报销', content: '差旅费' },
  },
});

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({
    now: T0,
    qpsPerApi: 0,
    config: {
      apps: [
        { ...APP, kind: 'internal', name: 'A' },
        { appkey: 'other-key', appsecret: 'other-secret', agent_id: 300, kind: 'internal', name: 'B' },
        { appkey: 'isv-key', appsecret: 'isv-secret', agent_id: 200, kind: 'isv', name: 'I' },
      ],
    },
  });
});
afterAll(() => sb.close());

// One line per rule: the violating body (merged over a valid text send to sandbox-alice) and its errcode.
const cases: [string, Json, number][] = [
  ['missing agent_id', { agent_id: undefined }, 40035],
  ['unknown agent_id', { agent_id: 999 }, 40056],
  ['agent_id of another app', { agent_id: 300 }, 41020],
  ['no recipient selector', {}, 40035],
  ['empty userid_list', { userid_list: '' }, 40035],
  ['empty dept_id_list', { userid_list: 'sandbox-alice', dept_id_list: ' , ' }, 40035],
  ['userid_list as an array (undocumented)', { userid_list: ['sandbox-alice'] }, 40035],
  ['101 userids', { userid_list: users(101) }, 40032],
  ['21 dept ids', { dept_id_list: depts(21) }, 40032],
  ['a non-numeric dept id', { dept_id_list: '1,abc' }, 40066],
  ['to_all_user not a boolean', { to_all_user: 'yes' }, 40035],
  ['missing msg', { userid_list: 'sandbox-alice', msg: undefined }, 40035],
  ['unknown msgtype', { userid_list: 'sandbox-alice', msg: { msgtype: 'video', video: { media_id: '@x' } } }, 40008],
  ['text without content', { userid_list: 'sandbox-alice', msg: { msgtype: 'text', text: {} } }, 40035],
  ['an unknown key', { userid_list: 'sandbox-alice', msg: { msgtype: 'text', text: { content: 'x', extra: 1 } } }, 40035],
  [
    'action_card single_title over 20 chars',
    { userid_list: 'sandbox-alice', msg: { msgtype: 'action_card', action_card: { title: 't', markdown: 'm', single_title: 'x'.repeat(21), single_url: 'https://a.example' } } },
    34016,
  ],
  ['msg over 2048 bytes', { userid_list: 'sandbox-alice', msg: text('汉'.repeat(700)) }, 45002],
  ['OA status bar to 6 users', { userid_list: users(6), msg: oa(true) }, 400002],
  ['OA status bar to a department', { userid_list: 'sandbox-alice', dept_id_list: '1', msg: oa(true) }, 400002],
  ['OA status bar to everyone', { to_all_user: true, msg: oa(true) }, 400002],
];

describe('asyncsend_v2 refuses', () => {
  it.each(cases)('%s (JSON body)', async (_name, body, errcode) => {
    const answer = await send(sb, body);
    expect(answer, JSON.stringify(answer)).toMatchObject({ errcode, errmsg: expect.any(String) as unknown, request_id: expect.any(String) as unknown });
    expect(answer.task_id).toBeUndefined();
  });

  it.each(cases.filter(([, body]) => !Object.values(body).some(Array.isArray)))('%s (form body)', async (_name, body, errcode) => {
    const defined = Object.fromEntries(Object.entries({ agent_id: APP.agent_id, msg: text('hello'), ...body }).filter(([, v]) => v !== undefined));
    expect((await call(sb, 'asyncsend_v2', defined, { form: true })).errcode).toBe(errcode);
  });

  it('to_all_user from an ISV app (41028)', async () => {
    const tok = await token(sb, { appkey: 'isv-key', appsecret: 'isv-secret' });
    expect((await send(sb, { agent_id: 200, to_all_user: true }, { token: tok })).errcode).toBe(41028);
  });

  it('a form msg that is not JSON (47001)', async () => {
    const answer = await call(sb, 'asyncsend_v2', { agent_id: APP.agent_id, userid_list: 'sandbox-alice', msg: '{"msgtype":' }, { form: true });
    expect(answer.errcode).toBe(47001);
  });

  it.each([
    ['an unknown Content-Type', 'text/plain', 'agent_id=1', 43004],
    ['a JSON body that does not parse', 'application/json', '{"agent_id":', 47001],
    ['a JSON body that is not an object', 'application/json', '[1,2]', 43009],
  ])('%s (%s → %i)', async (_name, type, body, errcode) => {
    const res = await request(`${sb.url}/topapi/message/corpconversation/asyncsend_v2?access_token=${await token(sb)}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect(((await res.body.json()) as Json).errcode).toBe(errcode);
  });

  it('a GET on a POST-only API (43002)', async () => {
    const res = await request(`${sb.url}/topapi/message/corpconversation/asyncsend_v2?access_token=${await token(sb)}`);
    expect(((await res.body.json()) as Json).errcode).toBe(43002);
  });
});

describe('asyncsend_v2 accepts', () => {
  it.each<[string, Json, boolean?]>([
    ['a JSON body', { userid_list: 'sandbox-alice' }],
    ['a form body with msg as a JSON string', { userid_list: 'sandbox-bob' }, true],
    ['20 userids and 20 dept ids', { userid_list: users(20, 'cap'), dept_id_list: depts(20) }],
    ['an OA status bar to 5 users', { userid_list: users(5, 'sb'), msg: oa(true) }],
    ['an OA message without status bar to a department', { dept_id_list: '1', msg: oa(false) }],
    ['a numeric-string agent_id', { agent_id: String(APP.agent_id), userid_list: 'sandbox-carol' }],
  ])('%s', async (_name, body, form) => {
    const answer = await send(sb, { msg: text(`accepts ${_name}`), ...body }, { form: form ?? false });
    expect(answer, JSON.stringify(answer)).toMatchObject({ errcode: 0, errmsg: 'ok', task_id: expect.any(Number) as unknown });
  });

  it('userid_list arrays when acceptListArrays is on', async () => {
    const lenient = await startSandbox({ now: T0, acceptListArrays: true });
    try {
      expect((await send(lenient, { userid_list: ['sandbox-alice', 'sandbox-bob'] })).errcode).toBe(0);
    } finally {
      await lenient.close();
    }
  });

  it('100 userids when the cap is raised to today’s documented 100', async () => {
    const raised = await startSandbox({ now: T0, useridsPerCall: 100 });
    try {
      expect((await send(raised, { userid_list: users(100) })).errcode).toBe(0);
      expect((await send(raised, { userid_list: users(101) })).errcode).toBe(40032);
    } finally {
      await raised.close();
    }
  });
});
