import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { artifactPath, describeBrowser, withPage } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject } from '../send/_project.js';

/**
 * report.html after a real send to `dingcast sandbox` (its own process) and a `report --refresh`, opened in Chromium:
 * the card as DingTalk shows it, the read rate and its bar, counts by outcome, who it failed for, reads over time;
 * nothing fetched from elsewhere, no secret in the file.
 */
let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox.close();
});

const TEMPLATE = [
  'version: 1',
  'description: release note',
  'variables:',
  '  type: object',
  '  required: [version]',
  '  properties:',
  '    version: { type: string, maxLength: 20 }',
  'examples:',
  '  typical: { version: "2.3.0" }',
  'msg:',
  '  msgtype: markdown',
  '  markdown:',
  '    title: 发布 {{version}}',
  '    text: "## 版本 {{version}} 已发布\\n\\n请各位升级。"',
  '',
].join('\n');

const NOTIFICATIONS = [
  'version: 1',
  'app: { agent_id: 100000001 }',
  'timezone: Asia/Shanghai',
  'notifications:',
  '  release:',
  '    template: release@1',
  // `ghost` is nobody in the sandbox's organisation: DingTalk lists it as invalid.
  '    to: { users: [zhangsan, lisi, wangwu, ghost] }',
  '    vars: { version: "2.3.0" }',
  '',
].join('\n');

describeBrowser('report.html in Chromium', () => {
  it('shows the card, the read rate, counts by outcome, the failing people and reads over time', async () => {
    const dir = makeProject({ 'templates/release.yaml': TEMPLATE, 'notifications.yaml': NOTIFICATIONS });
    const sent = await runCli(['send', 'release', '--project', dir], { env: sandbox.env });
    // ghost is invalid: a recipient failed, exit 1.
    expect(sent.code, sent.stderr).toBe(1);
    expect(sent.stdout).toMatch(/report\.html/);
    await sandbox.admin.markRead('zhangsan');
    const refreshed = await runCli(['report', '--refresh', '--project', dir], { env: sandbox.env });
    expect(refreshed.code, refreshed.stderr).toBe(1);

    const runId = readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();
    const file = join(dir, 'reports', runId, 'report.html');
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain(sandbox.env.DINGTALK_APP_SECRET);
    // Self-contained: no script, stylesheet or image from anywhere.
    expect(html).not.toMatch(/<script|<link|src="http/);

    await withPage(
      async (page) => {
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        expect(requests).toEqual([pathToFileURL(file).href]);

        const n = page.locator('[data-notification=release]');
        expect(await n.getAttribute('data-ok')).toBe('false');
        // The card as DingTalk shows the markdown.
        expect(await n.locator('[data-msgtype=markdown] h2').innerText()).toBe('版本 2.3.0 已发布');
        expect(await n.locator('[data-msgtype=markdown] [data-field=title]').innerText()).toBe('发布 2.3.0');

        // 1 read of the 3 it reached (ghost never got it).
        const rate = n.locator('[data-field=read-rate]');
        expect([await rate.getAttribute('data-read'), await rate.getAttribute('data-reached')]).toEqual(['1', '3']);
        expect(await rate.innerText()).toMatch(/^33% read · 1 of 3 reached/);
        const counts = await n.locator('[data-field=counts] li').evaluateAll((els) => els.map((e) => [e.getAttribute('data-status'), e.textContent]));
        expect(counts).toEqual([['read', 'read 已读 1'], ['unread', 'unread 未读 2'], ['invalid', 'invalid 无效 1']]);

        // The bar is drawn to scale: read takes a quarter of the four recipients' width.
        const barBox = (await n.locator('[data-field=bar]').boundingBox())!;
        const readBox = (await n.locator('[data-field=bar] [data-status=read]').boundingBox())!;
        expect(barBox.width).toBeGreaterThan(100);
        expect(Math.abs(readBox.width / barBox.width - 0.25)).toBeLessThan(0.02);

        expect(await n.locator('[data-field=failing] [data-status=invalid] [data-userid]').evaluateAll((els) => els.map((e) => e.getAttribute('data-userid')))).toEqual(['ghost']);
        expect(await n.locator('[data-field=failing] [data-userid=zhangsan]').count()).toBe(0);

        // The send's point and the refresh's: 0 read, then 1.
        const chart = page.locator('[data-field=read-chart]');
        expect(await chart.getAttribute('data-points')).toBe('2');
        const ys = await chart.locator('circle').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cy'))));
        expect(ys).toHaveLength(2);
        expect(ys[1]!).toBeLessThan(ys[0]!);

        await page.screenshot({ path: artifactPath('report-html.png'), fullPage: true });
      },
      { viewport: { width: 1000, height: 800 } },
    );
  });
});
