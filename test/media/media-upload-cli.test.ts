import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject, png, wav } from './_project.js';

describe('dingcast media upload FILE, against a sandbox in its own process', () => {
  let sandbox: SandboxProcess;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandboxProcess();
    dir = makeProject({
      'assets/poster.png': png([0, 90, 200]),
      'assets/chime.wav': wav(2),
      'assets/report.csv': 'month,total\n2026-03,42\n',
      'assets/notes.png': 'text with an image name\n',
      'assets/long.wav': wav(300),
    });
  });
  afterAll(() => sandbox.close());

  const uploads = async (): Promise<{ media_id: string; type: string; filename: string }[]> => ((await (await fetch(`${sandbox.url}/__admin/media`)).json()) as { media: { media_id: string; type: string; filename: string }[] }).media;

  it('prints only the media_id on stdout, with the type told by the bytes', async () => {
    const r = await runCli(['media', 'upload', 'assets/poster.png'], { cwd: dir, env: sandbox.env });
    expect(r.code, r.stderr).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^@\S+$/);
    expect(r.stdout).toBe(`${id}\n`);
    const voice = await runCli(['media', 'upload', 'assets/chime.wav', '--format', 'json'], { cwd: dir, env: sandbox.env });
    expect(voice.code, voice.stderr).toBe(0);
    const answer = JSON.parse(voice.stdout) as { media_id: string; type: string; format: string; bytes: number };
    expect(answer).toMatchObject({ type: 'voice', format: 'wav', bytes: wav(2).length });
    const file = await runCli(['media', 'upload', 'assets/report.csv'], { cwd: dir, env: sandbox.env });
    expect(file.code, file.stderr).toBe(0);
    expect(await uploads()).toEqual([
      expect.objectContaining({ media_id: id, type: 'image', filename: 'poster.png' }),
      expect.objectContaining({ media_id: answer.media_id, type: 'voice', filename: 'chime.wav' }),
      expect.objectContaining({ media_id: file.stdout.trim(), type: 'file', filename: 'report.csv' }),
    ]);
  });

  it('refuses a file that breaks a limit before uploading it (exit 1), and bad credentials without printing them (exit 2)', async () => {
    const before = (await uploads()).length;
    const wrong = await runCli(['media', 'upload', 'assets/notes.png', '--type', 'image'], { cwd: dir, env: sandbox.env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/media\/wrong-type: assets\/notes\.png is not a format DingTalk knows; a image message takes jpg, gif, png, bmp/);
    const big = await runCli(['media', 'upload', 'assets/long.wav'], { cwd: dir, env: sandbox.env });
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/media\/too-large/);
    expect(big.stdout).toBe('');
    const badSecret = await runCli(['media', 'upload', 'assets/poster.png'], { cwd: dir, env: { ...sandbox.env, DINGTALK_APP_SECRET: 'not-the-secret-4711' } });
    expect(badSecret.code).toBe(2);
    expect(badSecret.stderr).toMatch(/DingTalk refused the upload \(errcode \d+/);
    expect(badSecret.stderr + badSecret.stdout).not.toContain('not-the-secret-4711');
    const none = await runCli(['media', 'upload', 'assets/poster.png'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set/);
    // A usage error in a subcommand is exit 2 like everywhere else (commander alone would say 1).
    const usage = await runCli(['media', 'upload', 'assets/poster.png', '--type', 'video'], { cwd: dir, env: sandbox.env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/Allowed choices are image, voice, file/);
    expect((await uploads()).length).toBe(before);
  });
});
