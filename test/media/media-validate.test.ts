import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeProject, mediaTemplate, NOTIFICATIONS_HEAD, mp3, png, wav } from './_project.js';

type Diag = { code: string; file: string; line: number; column: number; message: string; hint?: string };

async function validate(dir: string): Promise<{ code: number | null; errors: Diag[]; warnings: Diag[] }> {
  const r = await runCli(['validate', '--format', 'json'], { cwd: dir });
  return { code: r.code, ...(JSON.parse(r.stdout) as { errors: Diag[]; warnings: Diag[] }) };
}

const notification = (id: string, template: string, vars: string): string => `  ${id}:\n    template: ${template}\n    to: { users: [zhangsan] }\n    vars: ${vars}\n`;

describe('validate checks local media files', () => {
  it('reports a too-large image, a wrong type, a missing file and a wrong duration at the variable that names them', async () => {
    const big = Buffer.alloc(21 * 1024 * 1024);
    png([1, 2, 3]).copy(big);
    const dir = makeProject({
      'templates/img.yaml': mediaTemplate('image'),
      'templates/voice.yaml': mediaTemplate('voice'),
      'notifications.yaml':
        NOTIFICATIONS_HEAD +
        notification('big', 'img', '{ path: ./assets/big.png }') +
        notification('text-as-png', 'img', '{ path: ./assets/notes.png }') +
        notification('missing', 'img', '{ path: ./assets/nope.png }') +
        notification('voice', 'voice', '{ path: ./assets/chime.wav, seconds: "9" }') +
        notification('mp3', 'voice', '{ path: ./assets/chime.mp3, seconds: "20" }') +
        notification('mp3-ok', 'voice', '{ path: ./assets/chime.mp3, seconds: "7" }'),
      'assets/big.png': big,
      'assets/notes.png': 'just text, named .png\n',
      'assets/chime.wav': wav(3),
      'assets/chime.mp3': mp3(7, { kbps: [128, 64, 192], tags: true }),
    });
    const r = await validate(dir);
    expect(r.code).toBe(1);
    const at = (code: string) => r.errors.filter((e) => e.code === code).map((e) => `${e.file}:${e.line}:${e.column}`);
    // Each points at the value of `path` (or `seconds`) inside that notification's vars line.
    expect(at('media/too-large')).toEqual(['notifications.yaml:10:19']);
    expect(at('media/wrong-type')).toEqual(['notifications.yaml:14:19']);
    expect(at('media/missing')).toEqual(['notifications.yaml:18:19']);
    // The MP3's length is read from its frames (variable bit rate, ID3 tags): 20 s is wrong, 7 s is right.
    expect(at('media/duration-mismatch')).toEqual(['notifications.yaml:22:48', 'notifications.yaml:26:48']);
    expect(r.errors.find((e) => e.code === 'media/too-large')?.message).toMatch(/21\.0 MB.*at most 20\.0 MB/);
    expect(r.errors.filter((e) => e.code === 'media/duration-mismatch').map((e) => e.hint)).toEqual(['Write duration: "3".', 'Write duration: "7".']);
  });

  it('refuses a file outside the project, by path or through a symlink, and reports it in the template when written there', async () => {
    const outside = makeProject({ 'secret.png': png([9, 9, 9]) });
    const dir = makeProject({
      'templates/img.yaml': mediaTemplate('image'),
      'templates/fixed.yaml': `version: 1\ndescription: fixed\nmsg:\n  msgtype: file\n  file:\n    media_id: ../../etc/hostname\n`,
      'notifications.yaml': NOTIFICATIONS_HEAD + notification('up', 'img', `{ path: ../${outside.split('/').pop()}/secret.png }`) + notification('link', 'img', '{ path: ./assets/link.png }') + notification('fixed', 'fixed', '{}'),
    });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'assets'));
    symlinkSync(join(outside, 'secret.png'), join(dir, 'assets', 'link.png'));
    const r = await validate(dir);
    const outsideErrors = r.errors.filter((e) => e.code === 'media/outside-project').map((e) => `${e.file}:${e.line}`);
    expect(outsideErrors.sort()).toEqual(['notifications.yaml:10', 'notifications.yaml:14', 'templates/fixed.yaml:6']);
  });

  it('refuses to send when a file is invalid: nothing is uploaded or sent', async () => {
    const dir = makeProject({
      'templates/img.yaml': mediaTemplate('image'),
      'notifications.yaml': NOTIFICATIONS_HEAD + notification('bad', 'img', '{ path: ./assets/notes.png }'),
      'assets/notes.png': 'text\n',
    });
    const r = await runCli(['send', 'bad', '--sandbox'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/media\/wrong-type/);
    expect(r.stderr).toMatch(/nothing sent/);
  });
});
