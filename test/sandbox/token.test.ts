import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { APP, call, getJson, send, T0, token } from './_client.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = await startSandbox({
    now: T0,
    config: { apps: [{ ...APP, kind: 'internal', name: 'A' }, { appkey: 'isv-key', appsecret: 'isv-secret', agent_id: 200, kind: 'isv', name: 'I' }] },
  });
});
afterEach(() => sb.close());

describe('gettoken', () => {
  it.each([
    ['unknown appkey', 'nope', APP.appsecret, 40089],
    ['missing appkey', '', APP.appsecret, 40089],
    ['wrong secret', APP.appkey, 'wrong', 40001],
  ])('%s → %i', async (_name, appkey, appsecret, errcode) => {
    const answer = await getJson(sb, `/gettoken?appkey=${appkey}&appsecret=${appsecret}`);
    expect(answer).toMatchObject({ errcode });
    expect(answer.request_id).toEqual(expect.any(String));
  });

  it('answers an internal app with the same token inside its validity and extends it', async () => {
    const first = await getJson(sb, `/gettoken?appkey=${APP.appkey}&appsecret=${APP.appsecret}`);
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    sb.clock.advance(7000_000);
    expect(await token(sb)).toBe(first.access_token);
    sb.clock.advance(7000_000); // 14000 s after the first fetch, but only 7000 s after the second
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: first.access_token as string })).errcode).toBe(0);
  });

  it('gives an ISV app a new token on every fetch', async () => {
    const isv = { appkey: 'isv-key', appsecret: 'isv-secret' };
    expect(await token(sb, isv)).not.toBe(await token(sb, isv));
  });

  it('answers a new token once the old one expired', async () => {
    const first = await token(sb);
    sb.clock.advance(7200_000);
    expect(await token(sb)).not.toBe(first);
  });
});

describe('access_token on topapi calls', () => {
  it.each([
    ['missing', null, 41001],
    ['empty', '', 41001],
    ['unknown', 'not-a-token', 40014],
  ])('%s → %i', async (_name, tok, errcode) => {
    expect(await send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).toMatchObject({ errcode });
  });

  it('expires after the configured lifetime (42001)', async () => {
    const tok = await token(sb);
    sb.clock.advance(7199_000);
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).errcode).toBe(0);
    sb.clock.advance(1_000);
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: tok })).errcode).toBe(42001);
    expect((await call(sb, 'getsendprogress', { agent_id: APP.agent_id, task_id: 1 }, { token: tok })).errcode).toBe(42001);
  });

  it('honours a shorter token lifetime', async () => {
    await sb.close();
    sb = await startSandbox({ now: T0, tokenLifetimeSec: 60 });
    const answer = await getJson(sb, `/gettoken?appkey=${APP.appkey}&appsecret=${APP.appsecret}`);
    expect(answer.expires_in).toBe(60);
    sb.clock.advance(60_000);
    expect((await send(sb, { userid_list: 'sandbox-alice' }, { token: answer.access_token as string })).errcode).toBe(42001);
  });
});
