import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { APP, call, finishTasks, send, T0, text, type Json } from './_client.js';

const oa: Json = {
  msgtype: 'oa',
  oa: {
    message_url: 'https://oa.example.com/1',
    head: { bgcolor: 'FFBBBBBB', text: '审批' },
    status_bar: { status_value: '待审批', status_bg: '0xFFFF9D46' },
    body: { title: '报销 1560.50 元' },
  },
};

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox({ now: T0, qpsPerApi: 0 });
});
afterEach(() => sb.close());

describe('recall', () => {
  it('takes msg_task_id and marks the message recalled in the inbox', async () => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice' });
    finishTasks(sb);
    expect(await call(sb, 'recall', { agent_id: APP.agent_id, msg_task_id: task_id }, { form: true })).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(sb.state.inbox('sandbox-alice')).toMatchObject([{ task_id, recalled: true }]);
    expect(sb.state.users().find((u) => u.userid === 'sandbox-alice')?.unread).toBe(0);
    expect((await call(sb, 'recall', { agent_id: APP.agent_id, msg_task_id: task_id })).errcode).toBe(0);
  });

  it.each<[string, (taskId: number) => Json, number]>([
    ['task_id instead of msg_task_id', (id) => ({ agent_id: APP.agent_id, task_id: id }), 400002],
    ['an unknown task', () => ({ agent_id: APP.agent_id, msg_task_id: 42 }), 400002],
    ['a wrong agent_id', (id) => ({ agent_id: 1, msg_task_id: id }), 40056],
  ])('refuses %s', async (_name, body, errcode) => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice' });
    expect((await call(sb, 'recall', body(task_id as number))).errcode).toBe(errcode);
  });

  it('works within 24 h only (400002 after)', async () => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice' });
    sb.clock.advance(24 * 3_600_000 + 1);
    expect((await call(sb, 'recall', { agent_id: APP.agent_id, msg_task_id: task_id })).errcode).toBe(400002);
    expect(sb.state.inbox('sandbox-alice')[0]?.recalled).toBe(false);
  });
});

describe('status_bar/update', () => {
  const update = (task_id: unknown, extra: Json = {}): Promise<Json> =>
    call(sb, 'status_bar/update', { agent_id: APP.agent_id, task_id, status_value: '已同意', status_bg: '0xFF78C06E', ...extra });

  it('updates an OA message’s status bar, shown in the inbox', async () => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice,sandbox-bob', msg: oa });
    finishTasks(sb);
    expect(await update(task_id)).toMatchObject({ errcode: 0 });
    expect(sb.state.inbox('sandbox-bob')[0]?.status_bar).toEqual({ status_value: '已同意', status_bg: '0xFF78C06E' });
  });

  it.each<[string, Json, Json, number, number?]>([
    ['a missing status_value', oa, { status_value: undefined }, 40035],
    ['a non-OA message', text('x'), {}, 400002],
    ['a task still in progress', oa, {}, 41052, 0],
    ['a message older than 7 days', oa, {}, 400002, 7 * 86_400_000 + 1],
    ['an unknown task', oa, { task_id: 9 }, 400002],
  ])('refuses %s', async (_name, msg, extra, errcode, wait = 60_000) => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice', msg });
    sb.clock.advance(wait);
    expect((await update(task_id, extra)).errcode).toBe(errcode);
  });

  it('refuses an OA message sent to a department (41052)', async () => {
    const plain = { ...oa, oa: { ...(oa.oa as Json), status_bar: undefined } };
    const { task_id } = await send(sb, { dept_id_list: '1', msg: plain });
    finishTasks(sb);
    expect((await update(task_id)).errcode).toBe(41052);
  });
});
