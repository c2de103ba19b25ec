import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { png } from './_project.js';

/** The sandbox's media/upload, spoken to over HTTP as a real client would (its rules are DingTalk's, not our validator's). */
describe('sandbox media/upload, in its own process', () => {
  let sandbox: SandboxProcess;
  let token: string;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    const answer = (await (await fetch(`${sandbox.url}/gettoken?appkey=${sandbox.env.DINGTALK_APP_KEY}&appsecret=${sandbox.env.DINGTALK_APP_SECRET}`)).json()) as { access_token: string };
    token = answer.access_token;
  });
  afterAll(() => sandbox.close());

  const upload = async (type: string, bytes: Uint8Array, name: string): Promise<{ errcode: number; errmsg: string; media_id?: string; type?: string }> => {
    const form = new FormData();
    form.set('media', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${sandbox.url}/media/upload?access_token=${token}&type=${type}`, { method: 'POST', body: form });
    return (await res.json()) as { errcode: number; errmsg: string; media_id?: string };
  };

  it('refuses a wrong type, a too-large voice and a missing field with DingTalk codes; accepts a png', async () => {
    expect((await upload('image', Buffer.from('just text\n'), 'notes.png')).errcode).toBe(40005);
    expect((await upload('voice', Buffer.alloc(2 * 1024 * 1024 + 1, 0xff), 'long.mp3')).errcode).toBe(40006);
    expect((await upload('video2', png([1, 1, 1]), 'x.png')).errcode).toBe(40004);
    const empty = await fetch(`${sandbox.url}/media/upload?access_token=${token}&type=file`, { method: 'POST', body: new FormData() });
    expect(((await empty.json()) as { errcode: number }).errcode).toBe(41005);
    const bad = await fetch(`${sandbox.url}/media/upload?access_token=nope&type=image`, { method: 'POST', body: new FormData() });
    expect(((await bad.json()) as { errcode: number }).errcode).not.toBe(0);

    const ok = await upload('image', png([10, 200, 10]), 'poster.png');
    expect(ok).toMatchObject({ errcode: 0, type: 'image' });
    expect(ok.media_id).toMatch(/^@/);
    const listed = (await (await fetch(`${sandbox.url}/__admin/media`)).json()) as { media: { media_id: string; filename: string; size: number }[] };
    expect(listed.media).toEqual([expect.objectContaining({ media_id: ok.media_id, filename: 'poster.png', size: png([10, 200, 10]).length })]);
  });

  it('refuses to send a file path or an id it never issued as media_id (40007)', async () => {
    const send = async (media_id: string): Promise<number> => {
      const res = await fetch(`${sandbox.url}/topapi/message/corpconversation/asyncsend_v2?access_token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify({ agent_id: Number(sandbox.env.DINGTALK_AGENT_ID), userid_list: 'zhangsan', msg: { msgtype: 'image', image: { media_id } } }),
      });
      return ((await res.json()) as { errcode: number }).errcode;
    };
    expect(await send('./assets/poster.png')).toBe(40007);
    expect(await send('@sbxNeverUploaded')).toBe(40007);
    const ok = await upload('image', png([1, 2, 3]), 'x.png');
    expect(await send(ok.media_id!)).toBe(0);
  });

  it('the inbox shows a sent image itself and a sent file by its name', async () => {
    const image = await upload('image', png([250, 120, 0]), 'banner.png');
    const file = await upload('file', Buffer.from('month,total\n2026-03,42\n'), 'report-2026-03.csv');
    for (const msg of [
      { msgtype: 'image', image: { media_id: image.media_id } },
      { msgtype: 'file', file: { media_id: file.media_id } },
    ]) {
      const res = await fetch(`${sandbox.url}/topapi/message/corpconversation/asyncsend_v2?access_token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body: JSON.stringify({ agent_id: Number(sandbox.env.DINGTALK_AGENT_ID), userid_list: 'zhangsan', msg }),
      });
      expect(((await res.json()) as { errcode: number }).errcode).toBe(0);
    }
    // Delivery follows the sandbox's clock: move it on instead of waiting.
    await sandbox.admin.clock({ advance: 10 * 60_000 });
    const page = await (await fetch(`${sandbox.url}/inbox/zhangsan`)).text();
    const src = /<img class="dc-image" data-field="image" src="([^"]+)"/.exec(page)?.[1];
    expect(src).toBe(`/inbox/media/${encodeURIComponent(image.media_id!)}`);
    const served = await fetch(`${sandbox.url}${src!}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png([250, 120, 0]))).toBe(true);
    expect(page).toContain('report-2026-03.csv');
  });
});
