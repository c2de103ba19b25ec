import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { artifactPath, describeBrowser, withPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { copyExampleProject } from './_git.js';
import { writeProject } from './_project.js';

const AT = ['--at', '2026-03-02T09:00:00+08:00'];

interface Item {
  id: string;
  template: string;
  msg: Record<string, Record<string, unknown>> & { msgtype: string };
  bytes: number;
  recipients: { users: string[]; departments: (string | number)[]; all: boolean };
  calls: unknown[];
}

/** The page, opened from disk with every network request refused: the page must stand on its own. */
async function openOffline(page: Page, file: string): Promise<void> {
  await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
}

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

/** What a reader sees on each msgtype's card, checked against the msg that would be sent. */
async function expectCardShows(page: Page, item: Item): Promise<void> {
  const card = `section[data-id="${item.id}"] article[data-msgtype="${item.msg.msgtype}"]`;
  expect(await page.locator(card).count(), item.id).toBe(1);
  const p = item.msg[item.msg.msgtype]!;
  const s = (k: string) => String(p[k]);
  switch (item.msg.msgtype) {
    case 'text':
      expect((await text(page, `${card} [data-field=content]`)).trim()).toBe(s('content').trim());
      break;
    case 'markdown': {
      expect(await text(page, `${card} [data-field=title]`)).toBe(s('title'));
      const heading = s('text').split('\n')[0]!.replace(/^#+\s*/, '');
      expect(await text(page, `${card} [data-field=markdown] h3`)).toBe(heading);
      break;
    }
    case 'link':
      expect(await text(page, `${card} [data-field=title]`)).toBe(s('title'));
      expect(await text(page, `${card} [data-field=text]`)).toBe(s('text'));
      break;
    case 'action_card': {
      expect(await text(page, `${card} [data-field=title]`)).toBe(s('title'));
      const buttons = (p.btn_json_list as { title: string }[] | undefined)?.map((b) => b.title) ?? [s('single_title')];
      const shown = await page.locator(card).innerText();
      for (const b of buttons) expect(shown).toContain(b);
      break;
    }
    case 'oa': {
      const body = p.body as { title: string; form: { key: string; value: string }[] };
      expect(await text(page, `${card} [data-field=title]`)).toBe(body.title);
      expect(await text(page, `${card} [data-field=form-row]`)).toContain(body.form[0]!.value);
      break;
    }
    case 'image': {
      // A media_id naming a project file shows the image itself (embedded), titled with the file; an id, a placeholder.
      const local = s('media_id').startsWith('./');
      if (local) {
        const img = page.locator(`${card} img[data-field=image]`).first();
        expect(await img.getAttribute('title')).toContain(s('media_id').slice(2));
        expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      } else expect(await text(page, `${card} [data-field=media-id]`)).toBe(s('media_id'));
      break;
    }
    case 'file':
      expect(await text(page, `${card} [data-field=media-id]`)).toContain(s('media_id').replace(/^\.\//, ''));
      break;
    case 'voice':
      expect(await text(page, `${card} [data-field=media-id]`)).toBe(`语音 voice ${s('media_id')}`);
      expect(await text(page, `${card} [data-field=duration]`)).toBe(`${s('duration')}″`);
      break;
    default:
      throw new Error(`no check for msgtype ${item.msg.msgtype}`);
  }
}

let examples = '';
let examplesPage = '';
let items: Item[] = [];

describeBrowser('render --format html in Chromium', () => {
  beforeAll(async () => {
    examples = copyExampleProject();
    const json = await runCli(['render', '--dry-run', '--format', 'json', ...AT], { cwd: examples });
    items = (JSON.parse(json.stdout) as { items: Item[] }).items;
    const r = await runCli(['render', '--dry-run', '--format', 'html', '--out', 'out/preview.html', ...AT], { cwd: examples });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('wrote the preview to out/preview.html');
    examplesPage = join(examples, 'out/preview.html');
  });

  it('shows every message as DingTalk would, with its size bar, recipients and calls, and saves a screenshot', async () => {
    expect(new Set(items.map((i) => i.msg.msgtype))).toEqual(new Set(['text', 'image', 'voice', 'file', 'link', 'markdown', 'oa', 'action_card']));
    await withPage(
      async (page) => {
        await openOffline(page, examplesPage);
        expect(await page.locator('section.dcr-item').count()).toBe(items.length);
        const calls = items.reduce((n, i) => n + i.calls.length, 0);
        expect(await text(page, '[data-field=stats]')).toContain(`${items.length} messages · ${calls} asyncsend_v2 call`);
        for (const item of items) {
          const section = `section[data-id="${item.id}"]`;
          await expectCardShows(page, item);
          expect(await page.locator(`${section} .dcr-item__sub`).innerText()).toBe(`template ${item.template}`);
          const size = page.locator(`${section} [data-field=size]`);
          expect(await size.getAttribute('data-bytes')).toBe(String(item.bytes));
          expect(await size.innerText()).toContain(`${item.bytes} / 2048 bytes (${Math.round((item.bytes / 2048) * 100)}%)`);
          const bar = await page.locator(`${section} .dcr-size__bar`).evaluate((el) => el.getBoundingClientRect().width / el.parentElement!.getBoundingClientRect().width);
          expect(bar).toBeCloseTo(item.bytes / 2048, 2);
          if (item.recipients.users.length > 0) expect(await text(page, `${section} [data-field=users]`)).toBe(item.recipients.users.join(', '));
          if (item.recipients.departments.length > 0) expect(await text(page, `${section} [data-field=departments]`)).toBe(item.recipients.departments.join(', '));
          expect(await page.locator(`${section} [data-field=calls]`).getAttribute('data-calls')).toBe(String(item.calls.length));
        }
        await page.screenshot({ path: artifactPath('preview-page.png'), fullPage: true });
        // The first screenful, as the README shows it (docs/preview.png is a copy of this one).
        await page.screenshot({ path: artifactPath('preview-page-top.png') });
      },
      { viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 },
    );
  });

  it('marks oversize and near-limit messages, splits calls, lists what did not render, and keeps hostile values text', async () => {
    const users = Array.from({ length: 45 }, (_, i) => `user${i}`);
    const dir = writeProject({
      'notifications.yaml': `version: 1
app: { agent_id: 100000001, kind: internal }
limits: { userids_per_call: 20 }
notifications:
  big: { template: t@1, to: { users: [a] }, vars: { body: "${'测'.repeat(700)}" } }
  near: { template: t@1, to: { users: [a] }, vars: { body: "${'x'.repeat(1700)}" } }
  crowd: { template: t@1, to: { users: [${users.join(', ')}], departments: [1, 2] }, vars: { body: hi } }
  everyone: { template: t@1, to: { all: true }, vars: { body: all } }
  hostile: { template: t@1, to: { users: [a] }, vars: { body: "<script>window.__pwned=1</script><img src=x onerror=\\"window.__pwned=2\\">" } }
  broken: { template: t@1, to: { users: [a] }, vars: {} }
`,
      'templates/t.yaml': `version: 1
variables: { type: object, properties: { body: { type: string, maxLength: 3000 } } }
msg: { msgtype: text, text: { content: "{{body}}" } }
`,
    });
    const r = await runCli(['render', '--dry-run', '--format', 'html', '--out', 'p.html', ...AT], { cwd: dir });
    expect(r.code).toBe(1); // oversize and not rendered
    await withPage(async (page) => {
      await openOffline(page, join(dir, 'p.html'));
      expect(await page.locator('section.dcr-item').count()).toBe(5);
      expect(await page.locator('section[data-id=big] .dcr-size--over').count()).toBe(1);
      expect(await text(page, 'section[data-id=big] .dcr-size__label')).toMatch(/^\d+ \/ 2048 bytes \(1\d\d%\) — over the limit: DingTalk drops it$/);
      expect(await page.locator('section[data-id=big] .dcr-size__bar').evaluate((el) => el.getBoundingClientRect().width === el.parentElement!.getBoundingClientRect().width)).toBe(true);
      expect(await page.locator('section[data-id=near] .dcr-size--near').count()).toBe(1);
      expect(await text(page, '[data-field=stats]')).toContain('1 over 2048 bytes');
      expect(await text(page, 'section[data-id=crowd] [data-field=calls]')).toBe('3 asyncsend_v2 calls (20 users + 2 depts | 20 users | 5 users)');
      expect(await text(page, 'section[data-id=everyone] [data-field=recipients]')).toContain('to_all_user');
      expect(await text(page, '[data-field=problems]')).toContain('broken');
      expect((await text(page, 'section[data-id=hostile] [data-field=content]')).trim()).toBe('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">');
      expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
      expect(await page.locator('script').count()).toBe(0);
    });
  });
});

it('prints the page on stdout without --out, and previews template examples', async () => {
  const dir = copyExampleProject();
  const r = await runCli(['render', 'release-note', '--example', 'typical', '--dry-run', '--format', 'html', ...AT], { cwd: dir });
  expect(r.code).toBe(0);
  expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
  expect(r.stdout).toContain('data-kind="template" data-id="release-note"');
  expect(r.stdout).toContain('template example: no recipients');
  // Self-contained: no stylesheet, script or font is fetched.
  expect(r.stdout).not.toMatch(/<link |<script|@import|url\(/);
  expect(readFileSync(join(dir, 'templates/release-note.yaml'), 'utf8')).toContain('typical');
});
