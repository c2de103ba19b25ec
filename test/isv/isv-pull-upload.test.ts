// `dingcast directory pull` and `dingcast media upload` for an ISV app (app.kind: isv): the suite's credentials
// (get_corp_token), as `send` uses them, against `dingcast sandbox` in its own process.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { png } from '../media/_project.js';

vi.setConfig({ testTimeout: 120_000 });

const SECRETS = ['sandbox-suite-secret', 'sandbox-suite-ticket'];

function isvProject(kind: 'isv' | 'internal' = 'isv'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-isv-pull-'));
  const files: Record<string, string | Uint8Array> = {
    'notifications.yaml': `version: 1\napp:\n  agent_id: 100000002\n  kind: ${kind}\nnotifications: {}\n`,
    'assets/poster.png': png([0, 90, 200]),
  };
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), content);
  }
  return dir;
}

function printed(r: CliResult): string {
  return r.stdout + r.stderr;
}

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess();
});
afterAll(() => sb?.close());
afterEach(() => sb.admin.reset());

const uploads = async (): Promise<{ media_id: string; type: string; filename: string }[]> => ((await (await fetch(`${sb.url}/__admin/media`)).json()) as { media: { media_id: string; type: string; filename: string }[] }).media;

describe('directory pull with app.kind: isv', () => {
  it('reads the contacts with the corp token from get_corp_token, and prints no suite secret or ticket', async () => {
    const dir = isvProject();
    const r = await runCli(['directory', 'pull', '--project', dir], { env: sb.isvEnv });
    expect(r.code, printed(r)).toBe(0);
    const calls = (await sb.admin.calls()).calls;
    expect(calls.get_corp_token).toBeGreaterThanOrEqual(1);
    expect(calls.gettoken ?? 0).toBe(0);
    const directory = JSON.parse(readFileSync(join(dir, '.dingcast/directory.json'), 'utf8')) as { users: { userid: string }[] };
    expect(directory.users.map((u) => u.userid)).toContain('zhangsan');
    for (const s of SECRETS) expect(printed(r)).not.toContain(s);
  });

  it('exits 2 and writes nothing when the suite secret is wrong, naming the suite variables', async () => {
    const dir = isvProject();
    const r = await runCli(['directory', 'pull', '--project', dir], { env: { ...sb.isvEnv, DINGTALK_SUITE_SECRET: 'a-wrong-suite-secret' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DingTalk refused the app credentials \(errcode 853004/);
    expect(r.stderr).toContain('DINGTALK_SUITE_SECRET');
    expect(existsSync(join(dir, '.dingcast/directory.json'))).toBe(false);
    for (const s of [...SECRETS, 'a-wrong-suite-secret']) expect(printed(r)).not.toContain(s);
  });

  it('exits 2 before any call when a suite variable is missing; an internal project still wants the app key', async () => {
    const { DINGTALK_CORP_ID: _c, ...env } = sb.isvEnv;
    const r = await runCli(['directory', 'pull', '--project', isvProject()], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/app\.kind is isv, and DINGTALK_CORP_ID is not set/);
    const internal = await runCli(['directory', 'pull', '--project', isvProject('internal')], { env: sb.isvEnv });
    expect(internal.code).toBe(2);
    expect(internal.stderr).toMatch(/DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set/);
    expect((await sb.admin.calls()).calls.get_corp_token ?? 0).toBe(0);
  });

  it('--sandbox pulls with the in-process sandbox\'s ISV app, whatever the environment says', async () => {
    const dir = isvProject();
    const r = await runCli(['directory', 'pull', '--sandbox', '--json', '--project', dir], { env: {} });
    expect(r.code, printed(r)).toBe(0);
    expect((JSON.parse(r.stdout) as { users: number }).users).toBeGreaterThan(0);
  });
});

describe('media upload with app.kind: isv', () => {
  it('uploads with the corp token and prints the media_id alone', async () => {
    const dir = isvProject();
    const r = await runCli(['media', 'upload', 'assets/poster.png'], { cwd: dir, env: sb.isvEnv });
    expect(r.code, printed(r)).toBe(0);
    const id = r.stdout.trim();
    expect(await uploads()).toEqual([expect.objectContaining({ media_id: id, type: 'image', filename: 'poster.png' })]);
    const calls = (await sb.admin.calls()).calls;
    expect(calls.get_corp_token).toBe(1);
    expect(calls.gettoken ?? 0).toBe(0);
    for (const s of SECRETS) expect(printed(r)).not.toContain(s);
  });

  it('exits 2 with nothing uploaded when the suite ticket is wrong, or missing', async () => {
    const dir = isvProject();
    const wrong = await runCli(['media', 'upload', 'assets/poster.png'], { cwd: dir, env: { ...sb.isvEnv, DINGTALK_SUITE_TICKET: 'a-stale-ticket' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/DingTalk refused the upload \(errcode 853/);
    expect(wrong.stderr).toContain('DINGTALK_SUITE_TICKET');
    expect(printed(wrong)).not.toContain('a-stale-ticket');
    const { DINGTALK_SUITE_TICKET: _t, ...env } = sb.isvEnv;
    const missing = await runCli(['media', 'upload', 'assets/poster.png'], { cwd: dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/app\.kind is isv, and DINGTALK_SUITE_TICKET is not set; nothing was uploaded/);
    expect(await uploads()).toEqual([]);
  });
});
