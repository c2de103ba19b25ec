// `each:` messages naming local media files, sent to `dingcast sandbox` in its own process: one upload per distinct
// content (a banner for three people, a picture of their own for a fourth), the ids reused from the state, a changed
// file sent again to only the people whose message names it, and lost answers resent with the exact recorded bytes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject, NOTIFICATIONS_HEAD, png } from './_project.js';

vi.setConfig({ testTimeout: 180_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const TEMPLATE = `version: 1
description: a picture per person
variables:
  type: object
  additionalProperties: false
  required: [file]
  properties:
    userid: { type: string, maxLength: 64 }
    file: { type: string, maxLength: 200 }
    note: { type: string, maxLength: 20 }
msg:
  msgtype: image
  image:
    media_id: "{{file}}"
`;

// zhaoliu's row differs from zhangsan's and lisi's (its note), so the banner goes out in two calls: one upload for both.
const ROWS = ['zhangsan,./assets/banner.png,a', 'lisi,./assets/banner.png,a', 'zhaoliu,./assets/banner.png,b', 'wangwu,./assets/wangwu.png,a'];

function project(rows = ROWS): string {
  return makeProject({
    'templates/picture.yaml': TEMPLATE,
    'notifications.yaml': `${NOTIFICATIONS_HEAD}  pictures:\n    template: picture\n    each: { file: data/pictures.csv }\n`,
    'data/pictures.csv': `userid,file,note\n${rows.join('\n')}\n`,
    'assets/banner.png': png([200, 30, 30]),
    'assets/wangwu.png': png([30, 200, 30]),
  });
}

async function started(dir: string): Promise<SandboxProcess> {
  sb = await startSandboxProcess({ projectDir: dir, config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0 } });
  return sb;
}

const uploads = async (s: SandboxProcess): Promise<number> => (await s.admin.calls()).calls['media/upload'] ?? 0;
const idOf = (msg: Record<string, unknown>): string => (msg.image as { media_id?: string } | undefined)?.media_id ?? '';
/** Who got which media_id, task by task. */
const sent = async (s: SandboxProcess): Promise<{ users: string[]; id: string }[]> => (await s.admin.tasks()).map((t) => ({ users: [...t.userid_list].sort(), id: idOf(t.msg) }));

describe('each: with local media files', () => {
  it('uploads each distinct file once, reuses the ids, and a changed file goes only to whose message names it', async () => {
    const dir = project();
    const s = await started(dir);
    const send = (...args: string[]) => runCli(['send', 'pictures', ...args], { cwd: dir, env: s.env, timeoutMs: 120_000 });

    const dry = await send('--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/image assets\/banner\.png \(\d+ bytes, sha256 [0-9a-f]{12}\) — uploaded by this run/);
    expect(dry.stdout).toMatch(/image assets\/wangwu\.png \(\d+ bytes, sha256 [0-9a-f]{12}\) — uploaded by this run/);
    expect(dry.stdout).toMatch(/3 send \+ ~3 follow-up \+ 2 media upload = ~8/);
    expect(await uploads(s)).toBe(0);

    const first = await send();
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(await uploads(s)).toBe(2);
    const tasks = await sent(s);
    expect(tasks).toHaveLength(3);
    const banner = tasks.find((t) => t.users.includes('zhangsan'));
    const banner2 = tasks.find((t) => t.users.includes('zhaoliu'));
    const own = tasks.find((t) => t.users.includes('wangwu'));
    expect(banner?.users).toEqual(['lisi', 'zhangsan']);
    expect(banner2?.users).toEqual(['zhaoliu']);
    expect(own?.users).toEqual(['wangwu']);
    expect(banner?.id).toMatch(/^@/);
    expect(banner2?.id).toBe(banner?.id);
    expect(own?.id).toMatch(/^@/);
    expect(own?.id).not.toBe(banner?.id);

    // Nothing changed: nothing is sent or uploaded.
    const again = await send();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(await uploads(s)).toBe(2);
    expect(await sent(s)).toHaveLength(3);

    // wangwu's file changes under the same name: a new send to wangwu only, and one more upload.
    writeFileSync(join(dir, 'assets/wangwu.png'), png([30, 30, 200]));
    const changed = await send();
    expect(changed.code, changed.stdout + changed.stderr).toBe(0);
    expect(changed.stderr).toMatch(/changed since run \S+ at \S+: 1 row\(s\) — wangwu: sending their new version/);
    expect(await uploads(s)).toBe(3);
    const after = await sent(s);
    expect(after).toHaveLength(4);
    expect(after[3]?.users).toEqual(['wangwu']);
    expect(after[3]?.id).not.toBe(own?.id);

    // A new row naming the banner: its id comes from the state, no upload.
    writeFileSync(join(dir, 'data/pictures.csv'), `userid,file,note\n${[...ROWS, 'manager4220,./assets/banner.png,c'].join('\n')}\n`);
    const added = await send('--no-wait');
    expect(added.code, added.stdout + added.stderr).toBe(0);
    expect(added.stderr).toMatch(/image assets\/banner\.png .*media_id @\S+ \(uploaded earlier, file unchanged\)/);
    expect(await uploads(s)).toBe(3);
    const last = await sent(s);
    expect(last).toHaveLength(5);
    expect(last[4]).toEqual({ users: ['manager4220'], id: banner?.id });
  });

  it('lost answers: the next run resends the recorded bytes (with their media ids) and uploads nothing', async () => {
    const dir = project();
    const s = await started(dir);
    const send = (...args: string[]) => runCli(['send', 'pictures', ...args], { cwd: dir, env: s.env, timeoutMs: 120_000 });
    // Every try of the three calls is processed by DingTalk and its answer lost.
    await s.admin.addFaults({ kind: 'drop-answer', count: 50, endpoint: 'asyncsend_v2' });
    const first = await send();
    expect(first.code, first.stdout + first.stderr).not.toBe(0);
    // How many tries the client made in its time budget is its business: the drops it did not use are cleared.
    await s.admin.clearFaults();
    expect(await uploads(s)).toBe(2);
    const ids = new Map((await sent(s)).flatMap((t) => t.users.map((u) => [u, t.id] as const)));
    expect(new Set(ids.values()).size).toBe(2);

    const second = await send();
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resending 4 recipient\(s\) whose earlier answer was lost/);
    // zhaoliu's row renders the same bytes as zhangsan's but is its own send: its own call, its own identity.
    expect(second.stderr).toMatch(/in 3 call\(s\)/);
    expect(await uploads(s)).toBe(2);
    // Every resend carried the same id its lost attempt did; each person has the picture once.
    for (const t of await sent(s)) for (const u of t.users) expect(t.id).toBe(ids.get(u));
    expect(await s.admin.inboxCounts()).toMatchObject({ zhangsan: 1, lisi: 1, zhaoliu: 1, wangwu: 1 });

    const third = await send();
    expect(third.code, third.stdout + third.stderr).toBe(0);
    expect(third.stderr).toMatch(/skipped 4/);
    expect(await uploads(s)).toBe(2);
  });

  it("a row's missing file is reported at its row and cell, and nothing is sent", async () => {
    const dir = project(['zhangsan,./assets/banner.png,a', 'lisi,./assets/nope.png,a']);
    const s = await started(dir);
    const validate = await runCli(['validate'], { cwd: dir, env: s.env });
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/data\/pictures\.csv:3:6.*assets\/nope\.png does not exist/);
    const send = await runCli(['send', 'pictures'], { cwd: dir, env: s.env });
    expect(send.code).not.toBe(0);
    expect(await uploads(s)).toBe(0);
    expect(await sent(s)).toHaveLength(0);
  });
});
