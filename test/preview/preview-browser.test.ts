import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { renderMessageHtml, renderPage } from '../../src/preview/index.js';
import { artifactPath, describeBrowser, withPage } from '../helpers/browser.js';
import { SAMPLE_MESSAGES } from './_messages.js';

const PIC_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200" fill="#3296FA"/>' +
  '<circle cx="150" cy="100" r="60" fill="#fff"/></svg>';

function buildBody(base: string): string {
  const messages: [unknown, Parameters<typeof renderMessageHtml>[1]][] = [
    [{ msgtype: 'text', text: { content: `${SAMPLE_MESSAGES.text.text.content}\n<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">` } }, { appName: '报表助手', sentAt: '09:30', read: true }],
    [SAMPLE_MESSAGES.image, { appName: 'Gallery', sentAt: '09:31', read: false }],
    [SAMPLE_MESSAGES.voice, { appName: '语音', sentAt: '09:32' }],
    [SAMPLE_MESSAGES.file, { appName: '文件助手', sentAt: '09:33' }],
    [SAMPLE_MESSAGES.link, { appName: 'Reports', sentAt: '09:34', read: false }],
    [SAMPLE_MESSAGES.oa, { appName: '人事系统', sentAt: '09:35', read: true }],
    [
      { msgtype: 'markdown', markdown: { ...SAMPLE_MESSAGES.markdown.markdown, text: `${SAMPLE_MESSAGES.markdown.markdown.text}\n\n![配图](${base}/pic.svg)` } },
      { appName: '发布机器人', sentAt: '09:36' },
    ],
    [SAMPLE_MESSAGES.action_card, { appName: '审批', sentAt: '09:37', read: false }],
    [
      { msgtype: 'action_card', action_card: { ...SAMPLE_MESSAGES.action_card.action_card, title: '竖排按钮 Vertical', btn_orientation: '0' } },
      { appName: '审批', sentAt: '09:38' },
    ],
    [{ msgtype: 'sticker', sticker: { id: 1 } }, { appName: 'Unknown', sentAt: '09:39' }],
  ];
  const cards = messages.map(([msg, opts]) => renderMessageHtml(msg, opts)).join('\n');
  return `<div style="display:flex;flex-wrap:wrap;gap:0 24px;align-items:flex-start">${cards}</div>`;
}

let server: Server;
let base = '';

describeBrowser('preview in Chromium', () => {
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/pic.svg') {
        res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(PIC_SVG);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(renderPage({ title: '预览 Preview', body: buildBody(base) }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // The project compiles without the DOM lib, so page globals are reached through the element.
  const bg = (page: Page, selector: string): Promise<string> =>
    page.locator(selector).evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);

  it('shows every msgtype as DingTalk would, and saves a screenshot', async () => {
    await withPage(
      async (page) => {
        await page.goto(`${base}/`, { waitUntil: 'load' });

        await expect.poll(() => page.locator('article[data-msgtype]').count()).toBe(10);
        const text = page.locator('[data-msgtype=text] [data-field=content]');
        expect(await text.innerText()).toContain('月度报表已生成\nMonthly report is ready.');
        expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
        expect(await page.locator('[data-msgtype=text] [data-field=read-state]').innerText()).toBe('已读');
        expect(await page.locator('[data-msgtype=image] [data-field=read-state]').innerText()).toBe('未读');

        expect(await page.locator('[data-msgtype=image] [data-field=media-id]').innerText()).toBe('@lADOimage001');
        expect(await page.locator('[data-msgtype=voice] [data-field=duration]').innerText()).toBe('10″');
        expect(await page.locator('[data-msgtype=file] [data-field=media-id]').innerText()).toBe('@lADOfile001');
        expect(await page.locator('[data-msgtype=link] [data-field=title] a').getAttribute('href')).toBe('https://example.com/report?id=1&lang=zh');

        const oa = '[data-msgtype=oa]';
        const rows = page.locator(`${oa} [data-field=form-row]`);
        expect(await rows.count()).toBe(6);
        expect(await rows.locator('.dc-oa__form-key').allInnerTexts()).toEqual(['姓名:', '部门:', '类型:', '开始:', '结束:', '天数:']);
        expect(await rows.nth(1).locator('.dc-oa__form-value').innerText()).toBe('研发部 R&D');
        expect(await page.locator(`${oa} [data-field=form-hidden]`).innerText()).toContain('2 more hidden');
        expect(await page.locator(`${oa} [data-field=head-text]`).innerText()).toBe('人事系统');
        expect(await bg(page, `${oa} [data-field=head]`)).toBe('rgb(187, 187, 187)');
        expect(await page.locator(`${oa} [data-field=status-bar]`).innerText()).toBe('进行中');
        expect(await bg(page, `${oa} [data-field=status-bar]`)).toBe('rgb(246, 94, 94)');
        // Four lines of content, three visible: the clamp must hide the overflow.
        const clamped = await page
          .locator(`${oa} [data-field=content]`)
          .evaluate((el) => ({
            scroll: el.scrollHeight,
            client: el.clientHeight,
            lineHeight: parseFloat(el.ownerDocument.defaultView!.getComputedStyle(el).lineHeight),
          }));
        expect(clamped.scroll).toBeGreaterThan(clamped.client);
        expect(Math.round(clamped.client / clamped.lineHeight)).toBe(3);

        const md = '[data-msgtype=markdown]';
        expect(await page.locator(`${md} h1`).innerText()).toBe('版本 1.2 发布');
        expect(await page.locator(`${md} a`).getAttribute('rel')).toBe('noopener noreferrer');
        expect(await page.locator(`${md} img`).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(300);

        const [horizontal, vertical] = [page.locator('[data-msgtype=action_card]').nth(0), page.locator('[data-msgtype=action_card]').nth(1)];
        expect(await horizontal.locator('[data-field=button]').allInnerTexts()).toEqual(['同意 Approve', '拒绝 Reject']);
        const hBoxes = await Promise.all([0, 1].map((i) => horizontal.locator('[data-field=button]').nth(i).boundingBox()));
        expect(hBoxes[0]?.y).toBe(hBoxes[1]?.y);
        expect(hBoxes[1]!.x).toBeGreaterThan(hBoxes[0]!.x);
        const vBoxes = await Promise.all([0, 1].map((i) => vertical.locator('[data-field=button]').nth(i).boundingBox()));
        expect(vBoxes[1]!.y).toBeGreaterThan(vBoxes[0]!.y);
        expect(vBoxes[1]?.x).toBe(vBoxes[0]?.x);

        expect(await page.locator('[data-msgtype=unsupported] [data-field=unsupported]').innerText()).toContain('unsupported message');

        expect(await fontsUsedFor(page, '[data-msgtype=oa] [data-field=title]')).toContain('WenQuanYi Micro Hei');

        await page.screenshot({ path: artifactPath('preview-all.png'), fullPage: true });
      },
      { viewport: { width: 1200, height: 800 } },
    );
  });
});

/** Which installed fonts Chromium actually drew the element's text with (tofu would show no CJK font). */
async function fontsUsedFor(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts.map((f) => f.familyName);
}
