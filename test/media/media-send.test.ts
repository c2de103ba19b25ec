import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerFile } from '../../src/io/ledger.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, pgUrl, query } from '../helpers/postgres.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject, mediaTemplate, NOTIFICATIONS_HEAD, png } from './_project.js';

function posterProject(colour: [number, number, number] = [200, 30, 30]): string {
  return makeProject({
    'templates/poster.yaml': mediaTemplate('image'),
    'notifications.yaml': `${NOTIFICATIONS_HEAD}  poster:\n    template: poster\n    to: { users: [zhangsan] }\n    vars: { path: ./assets/poster.png }\n`,
    'assets/poster.png': png(colour),
  });
}

describe('an image from the project, sent to a sandbox in its own process', () => {
  let sandbox: SandboxProcess;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dir = posterProject();
    sandbox = await startSandboxProcess({ projectDir: dir });
    env = sandbox.env;
  });
  afterAll(() => sandbox.close());

  const mediaIdsSent = async (): Promise<string[]> => (await sandbox.admin.tasks()).map((t) => (t.msg.image as { media_id?: string } | undefined)?.media_id ?? '');
  const uploads = async (): Promise<number> => (await sandbox.admin.calls()).calls['media/upload'] ?? 0;
  const ledgerMedia = (): { media_id: string; file: string; key: string }[] =>
    readFileSync(ledgerFile(dir, sandbox.url), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; media_id: string; file: string; key: string })
      .filter((r) => r.type === 'media');

  it('uploads once, sends the same media_id twice, and uploads again when the file changes', async () => {
    const dry = await runCli(['send', 'poster', '--dry-run'], { cwd: dir, env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/image assets\/poster\.png \(\d+ bytes.*uploaded by this run/);
    expect(dry.stdout).toMatch(/1 send \+ ~1 follow-up \+ 1 media upload = ~3/);
    expect(await uploads()).toBe(0);

    const first = await runCli(['send', 'poster'], { cwd: dir, env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/uploaded assets\/poster\.png → media_id @/);
    const second = await runCli(['send', 'poster', '--no-wait', '--force'], { cwd: dir, env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/media_id @\S+ \(uploaded earlier, file unchanged\)/);
    expect(second.stderr).toMatch(/1 send \+ ~1 follow-up = ~2/);
    expect(await uploads()).toBe(1);
    const [a, b] = await mediaIdsSent();
    expect(a).toMatch(/^@/);
    expect(b).toBe(a);
    // The id is kept in the state (the ledger of this target), not beside it.
    expect(ledgerMedia()).toEqual([expect.objectContaining({ media_id: a, file: 'assets/poster.png' })]);
    expect(ledgerMedia()[0]?.key).toMatch(/^image:[0-9a-f]{64}$/);

    // Same name, new content: a new send (no --force needed) and a new upload.
    writeFileSync(join(dir, 'assets/poster.png'), png([30, 30, 200]));
    const third = await runCli(['send', 'poster'], { cwd: dir, env });
    expect(third.code, third.stderr).toBe(0);
    expect(third.stderr).toMatch(/changed/);
    expect(await uploads()).toBe(2);
    const ids = await mediaIdsSent();
    expect(ids).toHaveLength(3);
    expect(ids[2]).not.toBe(a);

    // The inbox shows the uploaded image itself, served by the sandbox.
    const page = await (await fetch(`${sandbox.url}/inbox/zhangsan`)).text();
    const src = /<img class="dc-image" data-field="image" src="([^"]+)"/.exec(page)?.[1];
    expect(src).toBeDefined();
    const img = Buffer.from(await (await fetch(`${sandbox.url}${src!.replace(/&amp;/g, '&')}`)).arrayBuffer());
    expect(img.equals(png([30, 30, 200]))).toBe(true);
    // Four CLI runs in a row: on a busy machine that is more than the default 30 s.
  }, 120_000);

  it('a second run with nothing changed sends and uploads nothing', async () => {
    const before = await uploads();
    const again = await runCli(['send', 'poster', '--no-wait'], { cwd: dir, env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/skipped 1/);
    expect(await uploads()).toBe(before);
  });

  it('a saved plan whose file changed before it is applied sends nothing', async () => {
    const d = posterProject([1, 2, 3]);
    const saved = await runCli(['send', 'poster', '--dry-run', '--save-plan', 'plan.json'], { cwd: d, env });
    expect(saved.code, saved.stderr).toBe(0);
    const before = await uploads();
    writeFileSync(join(d, 'assets/poster.png'), png([4, 5, 6]));
    const r = await runCli(['send', '--plan', 'plan.json'], { cwd: d, env });
    expect(r.code).toBe(2);
    expect(await uploads()).toBe(before);
  });
});

describe.skipIf(!pgUrl)('media ids in a shared PostgreSQL state', () => {
  it('two runners with no shared disk: the second reuses the first one\'s upload', async () => {
    const url = await freshDatabase();
    const [one, two] = [posterProject([9, 99, 199]), posterProject([9, 99, 199])];
    const sandbox = await startSandboxProcess({ projectDir: one });
    try {
      const env = { ...sandbox.env, DINGCAST_STATE: url };
      const first = await runCli(['send', 'poster', '--no-wait'], { cwd: one, env });
      expect(first.code, first.stderr).toBe(0);
      const second = await runCli(['send', 'poster', '--no-wait', '--force'], { cwd: two, env });
      expect(second.code, second.stderr).toBe(0);
      expect((await sandbox.admin.calls()).calls['media/upload']).toBe(1);
      const ids = (await sandbox.admin.tasks()).map((t) => (t.msg.image as { media_id: string }).media_id);
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);
      expect(await query(url, `SELECT record->>'media_id' AS id FROM dingcast_ledger WHERE type = 'media'`)).toEqual([{ id: ids[0] }]);
    } finally {
      await sandbox.close();
    }
  }, 120_000);
});
