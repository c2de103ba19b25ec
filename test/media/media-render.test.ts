import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { makeProject, mediaTemplate, NOTIFICATIONS_HEAD, png } from './_project.js';

const poster = png([250, 60, 10]);
const csv = 'month,total\n2026-03,42\n';

function project(): string {
  return makeProject({
    'templates/img.yaml': mediaTemplate('image'),
    'templates/doc.yaml': mediaTemplate('file'),
    'notifications.yaml':
      NOTIFICATIONS_HEAD +
      '  poster:\n    template: img\n    to: { users: [zhangsan] }\n    vars: { path: ./assets/poster.png }\n' +
      '  report:\n    template: doc\n    to: { users: [zhangsan] }\n    vars: { path: ./assets/report-2026-03.csv }\n',
    'assets/poster.png': poster,
    'assets/report-2026-03.csv': csv,
  });
}

describe('render --dry-run shows the local file a media_id names', () => {
  it('text and JSON name the file, its size, format and sha256', async () => {
    const dir = project();
    const text = await runCli(['render', '--dry-run'], { cwd: dir });
    expect(text.code, text.stderr).toBe(0);
    const sha = createHash('sha256').update(poster).digest('hex');
    expect(text.stdout).toContain(`image: local file assets/poster.png (${poster.length} bytes, png, sha256 ${sha.slice(0, 12)}) — send uploads it`);
    expect(text.stdout).toContain(`file: local file assets/report-2026-03.csv (${csv.length} bytes, sha256`);
    const json = await runCli(['render', '--dry-run', '--format', 'json'], { cwd: dir });
    const items = (JSON.parse(json.stdout) as { items: { id: string; media?: Record<string, unknown> }[] }).items;
    expect(items.find((i) => i.id === 'poster')?.media).toEqual({ type: 'image', ref: './assets/poster.png', file: 'assets/poster.png', bytes: poster.length, sha256: sha, format: 'png' });
  });

  it('the HTML preview shows the image itself and the file by its name', async () => {
    const dir = project();
    const r = await runCli(['render', '--dry-run', '--format', 'html'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const src = /<img class="dc-image" data-field="image" src="([^"]+)"/.exec(r.stdout)?.[1];
    expect(src).toBe(`data:image/png;base64,${poster.toString('base64')}`);
    expect(r.stdout).toMatch(/data-field="file-name"[^>]*>report-2026-03\.csv</);
    expect(r.stdout).toContain(`assets/report-2026-03.csv · ${csv.length} bytes — uploaded when sent`);
  });

  it('a missing file is named as such, not hidden', async () => {
    const dir = makeProject({
      'templates/img.yaml': mediaTemplate('image'),
      'notifications.yaml': NOTIFICATIONS_HEAD + '  poster:\n    template: img\n    to: { users: [zhangsan] }\n    vars: { path: ./assets/gone.png }\n',
    });
    const r = await runCli(['render', '--dry-run'], { cwd: dir });
    expect(r.stdout).toContain('image: ./assets/gone.png cannot be sent (missing) — see `dingcast validate`');
  });
});
