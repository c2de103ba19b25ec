import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { artifactPath, describeBrowser, withPage } from '../helpers/browser.js';
import { APP, call, send, T0, type Json } from './_client.js';

const USER = 'zhangsan';

// One message of every msgtype, with the text each card must show.
const MESSAGES: [msg: Json, shows: string[], read: boolean][] = [
  [{ msgtype: 'text', text: { content: '今晚 22:00 数据库变更窗口，请注意观察主从延迟。' } }, ['数据库变更窗口'], true],
  [{ msgtype: 'image', image: { media_id: '@lADPDfJ6Q8W0XxbNAfTNAu4' } }, ['@lADPDfJ6Q8W0XxbNAfTNAu4'], false],
  [{ msgtype: 'voice', voice: { media_id: '@lADPDfJ6Q8W0XxbNAfVoiceQ2', duration: '18' } }, ['18'], false],
  [{ msgtype: 'file', file: { media_id: '@lADPDfJ6Q8W0XxbNAfFileM03' } }, ['@lADPDfJ6Q8W0XxbNAfFileM03'], true],
  [
    { msgtype: 'link', link: { messageUrl: 'https://wiki.example.com/onboarding', picUrl: '@lADPDfJ6Q8W0XxbNAfTNAu4', title: '新人入职指南', text: '第一周要做的事：开通账号、配置开发环境。' } },
    ['新人入职指南', '第一周要做的事'],
    false,
  ],
  [
    {
      msgtype: 'oa',
      oa: {
        message_url: 'https://oa.example.com/approval/42',
        head: { bgcolor: 'FF3296FA', text: '审批' },
        status_bar: { status_value: '待审批', status_bg: '0xFFFF9D46' },
        body: { title: '报销审批 · 赵六', form: [{ key: '报销类别：', value: '差旅费' }, { key: '出差城市：', value: '杭州' }], rich: { num: '1560.50', unit: '元' }, author: '赵六' },
      },
    },
    ['报销审批 · 赵六', '差旅费', '1560.50', '已同意'],
    true,
  ],
  [{ msgtype: 'markdown', markdown: { title: 'api 1.4.0 发布', text: '### api 1.4.0\n\n- Faster login\n- 新增审批接口' } }, ['api 1.4.0', 'Faster login', '新增审批接口'], false],
  [
    {
      msgtype: 'action_card',
      action_card: {
        title: 'P1 支付网关告警',
        markdown: '**payment-gateway** 回调超时率 12%',
        btn_orientation: '1',
        btn_json_list: [
          { title: '查看大盘', action_url: 'https://grafana.example.com/d/pay-gw' },
          { title: '认领处理', action_url: 'https://oncall.example.com/ack' },
        ],
      },
    },
    ['P1 支付网关告警', '回调超时率 12%', '查看大盘', '认领处理'],
    false,
  ],
];

let sb: Sandbox;
const taskIds: number[] = [];
let recalledId = 0;

describeBrowser('sandbox inbox in Chromium', () => {
  beforeAll(async () => {
    sb = await startSandbox({ now: T0 });
    for (const [msg] of MESSAGES) {
      const answer = await send(sb, { userid_list: USER, msg });
      expect(answer.errcode, JSON.stringify(answer)).toBe(0);
      taskIds.push(answer.task_id!);
      sb.clock.advance(60_000);
    }
    const oaTask = taskIds[MESSAGES.findIndex(([m]) => m.msgtype === 'oa')];
    expect((await call(sb, 'status_bar/update', { agent_id: APP.agent_id, task_id: oaTask, status_value: '已同意', status_bg: '0xFF78C06E' })).errcode).toBe(0);
    recalledId = (await send(sb, { userid_list: USER, msg: { msgtype: 'text', text: { content: '发错了' } } })).task_id!;
    sb.clock.advance(60_000);
    expect((await call(sb, 'recall', { agent_id: APP.agent_id, msg_task_id: recalledId })).errcode).toBe(0);
    MESSAGES.forEach(([, , read], i) => read && sb.admin.markRead(USER, taskIds[i]));
  });
  afterAll(() => sb.close());

  it('shows every msgtype newest first with read state, status bar and recall, and saves a screenshot', async () => {
    await withPage(
      async (page) => {
        await page.goto(`${sb.url}/inbox/${USER}`);
        const sections = page.locator('section.sb-item');
        expect(await sections.count()).toBe(MESSAGES.length + 1);
        expect(await sections.first().getAttribute('data-task-id')).toBe(String(recalledId));
        expect(await sections.first().locator('[data-field="recalled"]').innerText()).toContain('撤回了一条消息');

        for (const [i, [msg, shows, read]] of MESSAGES.entries()) {
          const card = page.locator(`section[data-task-id="${taskIds[i]}"] article`);
          expect(await card.getAttribute('data-msgtype')).toBe(msg.msgtype);
          const content = await card.innerText();
          for (const s of shows) expect(content, `${String(msg.msgtype)} shows ${s}`).toContain(s);
          expect(await card.locator('[data-field="read-state"]').getAttribute('data-read')).toBe(String(read));
          expect(await card.locator('[data-field="app-name"]').innerText()).toBe('dingcast sandbox');
        }
        const bar = page.locator('[data-field="status-bar"]');
        expect(await bar.innerText()).toBe('已同意');
        expect(await bar.getAttribute('data-status-bg')).toBe('0xFF78C06E');
        const order = await sections.evaluateAll((els) => els.map((el) => el.getAttribute('data-task-id')));
        expect(order).toEqual([recalledId, ...[...taskIds].reverse()].map(String));

        await page.screenshot({ path: artifactPath('sandbox-inbox.png'), fullPage: true });

        await page.goto(sb.url);
        const unread = MESSAGES.filter(([, , read]) => !read).length;
        expect(await page.locator(`li[data-userid="${USER}"] [data-field="unread"]`).innerText()).toBe(String(unread));
        await page.screenshot({ path: artifactPath('sandbox-users.png'), fullPage: true });
      },
      { viewport: { width: 420, height: 900 }, deviceScaleFactor: 1 },
    );
  });
});
