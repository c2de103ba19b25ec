import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { APP, call, finishTasks, result, send, T0, text, token } from './_client.js';

let sb: Sandbox;
async function start(options: SandboxOptions = {}): Promise<Sandbox> {
  sb = await startSandbox({ now: T0, qpsPerApi: 0, ...options });
  return sb;
}
afterEach(() => sb.close());

const directory = {
  users: [
    { userid: 'a', name: 'A', dept_ids: [10] },
    { userid: 'b', name: 'B', dept_ids: [11] },
    { userid: 'c', name: 'C', dept_ids: [1] },
    { userid: 'd', name: 'D', dept_ids: [1] },
  ],
  departments: [{ id: 1, name: 'corp' }, { id: 10, name: 'dev', parent_id: 1 }, { id: 11, name: 'dev-web', parent_id: 10 }],
};

describe('getsendresult lists', () => {
  it('lists invalid users and departments while the send itself succeeds', async () => {
    await start({ config: { directory } });
    const answer = await send(sb, { userid_list: 'a,ghost', dept_id_list: '11,424242' });
    expect(answer.errcode).toBe(0);
    finishTasks(sb);
    expect(await result(sb, answer.task_id as number)).toEqual({
      invalid_user_id_list: ['ghost'],
      forbidden_user_id_list: [],
      failed_user_id_list: [],
      read_user_id_list: [],
      unread_user_id_list: ['a', 'b'],
      invalid_dept_id_list: [424242],
      forbidden_list: [],
    });
  });

  it('includes sub-departments’ members in a department', async () => {
    await start({ config: { directory } });
    const { task_id } = await send(sb, { dept_id_list: '10' });
    finishTasks(sb);
    expect((await result(sb, task_id as number)).unread_user_id_list).toEqual(['a', 'b']);
    expect(sb.state.inbox('c')).toEqual([]);
  });

  it('emits comma strings like the seed page when resultListsAs is "string"', async () => {
    await start({ config: { directory }, resultListsAs: 'string' });
    const { task_id } = await send(sb, { userid_list: 'a,b,ghost', dept_id_list: '7,8' });
    finishTasks(sb);
    expect(await result(sb, task_id as number)).toEqual({
      invalid_user_id_list: 'ghost',
      forbidden_user_id_list: '',
      failed_user_id_list: '',
      read_user_id_list: '',
      unread_user_id_list: 'a,b',
      invalid_dept_id_list: '7,8',
    });
  });

  it('puts failing users in failed_user_id_list', async () => {
    await start({ config: { directory }, failingUsers: ['b'] });
    const { task_id } = await send(sb, { userid_list: 'a,b' });
    finishTasks(sb);
    expect(await result(sb, task_id as number)).toMatchObject({ failed_user_id_list: ['b'], unread_user_id_list: ['a'] });
  });

  it('moves users to read_user_id_list when marked read, or after readAfterMs', async () => {
    await start({ config: { directory }, readAfterMs: 30_000 });
    const { task_id } = await send(sb, { userid_list: 'a,b,c' });
    sb.clock.advance(1_000);
    expect(await result(sb, task_id as number)).toMatchObject({ read_user_id_list: [], unread_user_id_list: ['a', 'b', 'c'] });
    expect(sb.admin.markRead('b', task_id as number)).toBe(1);
    expect(await result(sb, task_id as number)).toMatchObject({ read_user_id_list: ['b'], unread_user_id_list: ['a', 'c'] });
    sb.clock.advance(30_000);
    expect(await result(sb, task_id as number)).toMatchObject({ read_user_id_list: ['a', 'b', 'c'], unread_user_id_list: [] });
  });

  it('takes agent_id as optional (seed page) but refuses a wrong one', async () => {
    await start({ config: { directory } });
    const { task_id } = await send(sb, { userid_list: 'a' });
    expect((await call(sb, 'getsendresult', { task_id })).errcode).toBe(0);
    expect((await call(sb, 'getsendresult', { agent_id: 5, task_id })).errcode).toBe(40056);
  });
});

describe('flow control: forbidden_user_id_list with forbidden_list reasons', () => {
  it('delivers identical content once per Beijing calendar day (143106)', async () => {
    await start({ config: { directory } });
    const first = await send(sb, { userid_list: 'a,b', msg: text('same') });
    // Same content with keys in another order is still the same content.
    const again = await send(sb, { userid_list: 'a,c', msg: { text: { content: 'same' }, msgtype: 'text' } });
    const other = await send(sb, { userid_list: 'a', msg: text('different') });
    finishTasks(sb);
    expect(await result(sb, first.task_id as number)).toMatchObject({ unread_user_id_list: ['a', 'b'], forbidden_user_id_list: [] });
    expect(await result(sb, again.task_id as number)).toMatchObject({
      unread_user_id_list: ['c'],
      forbidden_user_id_list: ['a'],
      forbidden_list: [{ code: '143106', count: 1, userid: 'a' }],
    });
    expect(await result(sb, other.task_id as number)).toMatchObject({ unread_user_id_list: ['a'] });
  });

  it.each([
    ['23:30 → 00:30 Beijing (same UTC day) is a new day', '2026-03-16T15:30:00Z', '2026-03-16T16:30:00Z', 'delivered'],
    ['00:30 → 23:30 Beijing (different UTC days) is the same day', '2026-03-15T16:30:00Z', '2026-03-16T15:30:00Z', 'forbidden'],
  ])('%s', async (_name, firstAt, secondAt, outcome) => {
    await start({ config: { directory } });
    sb.clock.set(firstAt);
    await send(sb, { userid_list: 'a', msg: text('daily') });
    sb.clock.set(secondAt);
    const { task_id } = await send(sb, { userid_list: 'a', msg: text('daily') });
    finishTasks(sb);
    const lists = await result(sb, task_id as number);
    expect(lists[outcome === 'delivered' ? 'unread_user_id_list' : 'forbidden_user_id_list']).toEqual(['a']);
  });

  it('caps messages per user per day for internal apps (143105, configurable)', async () => {
    await start({ config: { directory }, dailyCapInternal: 3 });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await send(sb, { userid_list: 'a', msg: text(`n${i}`) })).task_id as number);
    finishTasks(sb);
    expect((await result(sb, ids[2]!)).unread_user_id_list).toEqual(['a']);
    expect(await result(sb, ids[3]!)).toMatchObject({ forbidden_user_id_list: ['a'], forbidden_list: [{ code: '143105', count: 3, userid: 'a' }] });
    sb.clock.advance(24 * 3_600_000);
    const next = await send(sb, { userid_list: 'a', msg: text('n0') });
    finishTasks(sb);
    expect((await result(sb, next.task_id as number)).unread_user_id_list).toEqual(['a']);
  });

  it.each([
    ['today’s 100 by default', {}, 100],
    ['50 when configured (the older figure)', { dailyCapIsv: 50 }, 50],
  ])('caps an ISV app per user per day: %s', async (_name, cap, count) => {
    await start({ qpsPerApi: 0, ...cap, config: { directory, apps: [{ appkey: 'isv', appsecret: 's', agent_id: 7, kind: 'isv', name: 'ISV' }] } });
    const tok = await token(sb, { appkey: 'isv', appsecret: 's' });
    const ids: number[] = [];
    for (let i = 0; i <= count; i++) ids.push((await send(sb, { agent_id: 7, userid_list: 'a', msg: text(`isv ${i}`) }, { token: tok })).task_id as number);
    finishTasks(sb);
    const lastAllowed = await call(sb, 'getsendresult', { agent_id: 7, task_id: ids[count - 1] }, { token: tok });
    expect(lastAllowed.send_result).toMatchObject({ unread_user_id_list: ['a'] });
    const answer = await call(sb, 'getsendresult', { agent_id: 7, task_id: ids[count] }, { token: tok });
    expect(answer.send_result).toMatchObject({ forbidden_list: [{ code: '143105', count, userid: 'a' }] });
  });

  it('allows to_all_user three times a day (41045 after), again the next day', async () => {
    await start({ config: { directory } });
    for (let i = 0; i < 3; i++) expect((await send(sb, { to_all_user: true, msg: text(`all ${i}`) })).errcode).toBe(0);
    expect((await send(sb, { to_all_user: true, msg: text('all 3') })).errcode).toBe(41045);
    sb.clock.advance(24 * 3_600_000);
    const { task_id } = await send(sb, { to_all_user: true, msg: text('all 4') });
    finishTasks(sb);
    expect((await result(sb, task_id as number)).unread_user_id_list).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('task progress', () => {
  it('goes 0 → 1 → 2 over time, with partial result lists meanwhile', async () => {
    await start({ config: { directory }, taskQueueMs: 100, taskBaseMs: 1_000, taskPerRecipientMs: 0 });
    const { task_id } = await send(sb, { userid_list: 'a,b,c,d' });
    const progress = async (): Promise<unknown> => (await call(sb, 'getsendprogress', { agent_id: APP.agent_id, task_id })).progress;

    expect(await progress()).toEqual({ progress_in_percent: 0, status: 0 });
    expect((await result(sb, task_id as number)).unread_user_id_list).toEqual([]);
    expect(sb.state.inbox('a')).toEqual([]);

    sb.clock.advance(600);
    expect(await progress()).toEqual({ progress_in_percent: 50, status: 1 });
    expect((await result(sb, task_id as number)).unread_user_id_list).toEqual(['a', 'b']);
    expect(sb.state.inbox('b')).toHaveLength(1);
    expect(sb.state.inbox('c')).toEqual([]);

    sb.clock.advance(500);
    expect(await progress()).toEqual({ progress_in_percent: 100, status: 2 });
    expect((await result(sb, task_id as number)).unread_user_id_list).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is never instant with the default timing', async () => {
    await start({ config: { directory } });
    const { task_id } = await send(sb, { userid_list: 'a' });
    expect((await call(sb, 'getsendprogress', { agent_id: APP.agent_id, task_id })).progress).toEqual({ progress_in_percent: 0, status: 0 });
    sb.clock.advance(802);
    expect((await call(sb, 'getsendprogress', { agent_id: APP.agent_id, task_id })).progress).toEqual({ progress_in_percent: 100, status: 2 });
  });

  it('refuses results of tasks with more than 100 recipients (41052); progress still answers', async () => {
    await start({ useridsPerCall: 200 });
    const ids = Array.from({ length: 101 }, (_, i) => `u${i}`).join(',');
    const { task_id } = await send(sb, { userid_list: ids });
    finishTasks(sb);
    expect((await call(sb, 'getsendresult', { agent_id: APP.agent_id, task_id })).errcode).toBe(41052);
    expect((await call(sb, 'getsendprogress', { agent_id: APP.agent_id, task_id })).errcode).toBe(0);
  });

  it.each(['getsendprogress', 'getsendresult'])('%s: unknown, foreign and >24 h old tasks are 40035', async (endpoint) => {
    await start({ config: { directory, apps: [{ ...APP, kind: 'internal', name: 'A' }, { appkey: 'k2', appsecret: 's2', agent_id: 2, kind: 'internal', name: 'B' }] } });
    const { task_id } = await send(sb, { userid_list: 'a' });
    expect((await call(sb, endpoint, { agent_id: APP.agent_id, task_id: 123 })).errcode).toBe(40035);
    const other = await token(sb, { appkey: 'k2', appsecret: 's2' });
    expect((await call(sb, endpoint, { agent_id: 2, task_id }, { token: other })).errcode).toBe(40035);
    sb.clock.advance(24 * 3_600_000);
    expect((await call(sb, endpoint, { agent_id: APP.agent_id, task_id }, { form: true })).errcode).toBe(0);
    sb.clock.advance(1);
    expect((await call(sb, endpoint, { agent_id: APP.agent_id, task_id })).errcode).toBe(40035);
  });
});
