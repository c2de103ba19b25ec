import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { finishTasks, send, T0, text, type Json } from './_client.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox({ now: T0, qpsPerApi: 0 });
});
afterEach(() => sb.close());

async function admin(method: 'GET' | 'POST', path: string, body?: Json): Promise<Json> {
  const res = await request(`${sb.url}/__admin/${path}`, {
    method,
    ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  expect(res.statusCode).toBe(200);
  return (await res.body.json()) as Json;
}

async function page(path: string): Promise<{ status: number; html: string }> {
  const res = await request(`${sb.url}${path}`);
  return { status: res.statusCode, html: await res.body.text() };
}

describe('admin JSON API', () => {
  it('reports calls per endpoint, tasks and inboxes', async () => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice,sandbox-bob', msg: text('admin') });
    finishTasks(sb);
    const { calls } = await admin('GET', 'calls');
    expect(calls).toMatchObject({ gettoken: 1, asyncsend_v2: 1, getsendresult: 0 });
    const { tasks } = await admin('GET', 'tasks');
    expect(tasks).toMatchObject([{ task_id, msgtype: 'text', userid_list: ['sandbox-alice', 'sandbox-bob'], status: 2, recipients: 2 }]);
    expect((await admin('GET', `tasks/${task_id}`)).task).toMatchObject({ task_id });
    expect((await admin('GET', 'inbox/sandbox-bob')).inbox).toMatchObject([{ task_id, read: false, msg: text('admin') }]);
    expect((await admin('GET', 'users')).users).toContainEqual(expect.objectContaining({ userid: 'sandbox-bob', unread: 1 }));
  });

  it('marks messages read', async () => {
    const { task_id } = await send(sb, { userid_list: 'sandbox-alice' });
    finishTasks(sb);
    expect(await admin('POST', 'read', { userid: 'sandbox-alice', task_id })).toEqual({ ok: true, marked: 1 });
    expect(sb.state.inbox('sandbox-alice')[0]?.read).toBe(true);
  });

  it('sets and advances the clock', async () => {
    expect(await admin('GET', 'clock')).toEqual({ now: T0.toISOString(), mode: 'fixed' });
    expect((await admin('POST', 'clock', { set: '2026-04-01T00:00:00Z' })).now).toBe('2026-04-01T00:00:00.000Z');
    expect((await admin('POST', 'clock', { advance: 1500 })).now).toBe('2026-04-01T00:00:01.500Z');
    expect(sb.clock.now()).toBe(Date.parse('2026-04-01T00:00:01.500Z'));
  });

  it('resets state', async () => {
    await send(sb, { userid_list: 'sandbox-alice' });
    expect(await admin('POST', 'reset')).toEqual({ ok: true });
    expect(sb.state.tasks()).toEqual([]);
    expect(sb.state.calls().asyncsend_v2).toBe(0);
    // The old token is gone with the state.
    expect(sb.state.inbox('sandbox-alice')).toEqual([]);
  });

  it('answers 404 for unknown routes', async () => {
    const res = await request(`${sb.url}/__admin/nope`);
    expect(res.statusCode).toBe(404);
    await res.body.text();
  });
});

describe('inbox pages', () => {
  it('lists users with unread counts', async () => {
    await send(sb, { userid_list: 'sandbox-alice', msg: text('one') });
    await send(sb, { userid_list: 'sandbox-alice', msg: text('two') });
    finishTasks(sb);
    const { status, html } = await page('/');
    expect(status).toBe(200);
    expect(html).toMatch(/<li data-userid="sandbox-alice"><a href="\/inbox\/sandbox-alice">.*<span class="sb-badge" data-field="unread">2<\/span>/);
    expect(html).toContain('data-userid="sandbox-bob"');
  });

  it('shows a user’s messages newest first, with read state, recall and status bar', async () => {
    const first = await send(sb, { userid_list: 'sandbox-alice', msg: text('first <b>message</b>') });
    sb.clock.advance(60_000);
    await send(sb, { userid_list: 'sandbox-alice', msg: text('second message') });
    sb.clock.advance(60_000);
    sb.admin.markRead('sandbox-alice', first.task_id);
    const { html } = await page('/inbox/sandbox-alice');
    expect(html.indexOf('second message')).toBeLessThan(html.indexOf('first &lt;b&gt;message&lt;/b&gt;'));
    expect(html).toContain('data-read="true"');
    expect(html).toContain('data-read="false"');
    expect(html).not.toContain('<b>message</b>');
  });

  it('answers 404 for a user not in the directory', async () => {
    expect((await page('/inbox/nobody')).status).toBe(404);
  });
});
