import { describe, expect, it } from 'vitest';
import { argbToCss, escapeHtml, renderMessageHtml } from '../../src/preview/index.js';
import { SAMPLE_MESSAGES } from './_messages.js';

describe('renderMessageHtml: key content per msgtype', () => {
  it.each([
    ['text', ['data-field="content"', '月度报表已生成\nMonthly report is ready.']],
    ['image', ['data-field="image-placeholder"', '@lADOimage001']],
    ['voice', ['data-field="duration"', '10″', '@lADOvoice001']],
    ['file', ['data-field="media-id"', '@lADOfile001']],
    ['link', ['季度总结 Q3 summary', 'Click to read', 'href="https://example.com/report?id=1&amp;lang=zh"', '@lADOpic001']],
    ['oa', ['请假申请 Leave request', '研发部 R&amp;D', '15.6', '元', '附件 3 个', '张三 Zhang San', '进行中', '@lADOoaimage']],
    ['markdown', ['<h1>版本 1.2 发布</h1>', '<blockquote>', '<strong>重要</strong>', '<em>important</em>', '<li>修复 bug</li>']],
    ['action_card', ['审批提醒 Approval', '<h3>待审批 2 条</h3>', '同意 Approve', '拒绝 Reject', 'data-orientation="1"']],
  ] as const)('%s', (msgtype, expected) => {
    const html = renderMessageHtml(SAMPLE_MESSAGES[msgtype]);
    expect(html).toMatch(new RegExp(`^<article class="dc-msg dc-msg--${msgtype}" data-msgtype="${msgtype}"`));
    for (const piece of expected) expect(html).toContain(piece);
  });
});

const EVIL = `<script>alert("x")</script> & "quoted" 'single'`;
const EVIL_ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quoted&quot; &#39;single&#39;';

describe('renderMessageHtml: user text is escaped', () => {
  it.each([
    ['text', { msgtype: 'text', text: { content: EVIL } }],
    ['image', { msgtype: 'image', image: { media_id: EVIL } }],
    ['voice', { msgtype: 'voice', voice: { media_id: EVIL, duration: EVIL } }],
    ['file', { msgtype: 'file', file: { media_id: EVIL } }],
    ['link', { msgtype: 'link', link: { messageUrl: 'https://a.example', picUrl: EVIL, title: EVIL, text: EVIL } }],
    ['oa head', { msgtype: 'oa', oa: { head: { bgcolor: EVIL, text: EVIL }, body: {} } }],
    ['oa body', { msgtype: 'oa', oa: { head: {}, body: { title: EVIL, form: [{ key: EVIL, value: EVIL }], rich: { num: EVIL, unit: EVIL }, content: EVIL, image: EVIL, file_count: EVIL, author: EVIL } } }],
    ['oa status', { msgtype: 'oa', oa: { head: {}, body: {}, status_bar: { status_value: EVIL, status_bg: EVIL } } }],
    ['markdown', { msgtype: 'markdown', markdown: { title: EVIL, text: EVIL } }],
    ['action_card', { msgtype: 'action_card', action_card: { title: EVIL, markdown: EVIL, btn_json_list: [{ title: EVIL, action_url: 'https://a.example' }] } }],
    ['unknown msgtype', { msgtype: EVIL }],
  ])('%s', (_name, msg) => {
    const html = renderMessageHtml(msg, { appName: 'App' });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('"quoted"');
    expect(html).toContain('&lt;script&gt;');
  });

  it('escapes options too', () => {
    const html = renderMessageHtml({ msgtype: 'text', text: { content: 'x' } }, { appName: EVIL, sentAt: EVIL });
    expect(html).not.toContain('<script');
    expect(html).toContain(EVIL_ESCAPED);
  });

  it('escapes a quote that tries to leave an href attribute', () => {
    const html = renderMessageHtml({ msgtype: 'link', link: { messageUrl: 'https://a.example/?q="><script>x</script>', picUrl: '', title: 't', text: 't' } });
    expect(html).toContain('href="https://a.example/?q=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
  });

  it('escapeHtml escapes the five HTML metacharacters', () => {
    expect(escapeHtml(EVIL)).toBe(EVIL_ESCAPED);
  });
});

const BAD_URLS = ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '/relative/path', 'file:///etc/passwd'];

describe('renderMessageHtml: only http(s), dingtalk: and eapp: links get an href', () => {
  const cases = BAD_URLS.flatMap((url) => [
    [`link ${url}`, { msgtype: 'link', link: { messageUrl: url, picUrl: url, title: 't', text: 't' } }],
    [`oa ${url}`, { msgtype: 'oa', oa: { message_url: url, pc_message_url: url, head: {}, body: { image: url } } }],
    [`single ${url}`, { msgtype: 'action_card', action_card: { markdown: 'm', single_title: 'go', single_url: url } }],
    [`button ${url}`, { msgtype: 'action_card', action_card: { markdown: 'm', btn_orientation: '0', btn_json_list: [{ title: 'go', action_url: url }] } }],
    [`markdown ${url}`, { msgtype: 'markdown', markdown: { title: 't', text: `[go](${url}) ![i](${url}) <${url}>` } }],
  ] as const);
  it.each(cases)('%s', (_name, msg) => {
    const html = renderMessageHtml(msg);
    expect(html).not.toMatch(/(?:href|src)="[^"]*(?:javascript|vbscript|data|file):/i);
    expect(html).not.toContain('href="/relative');
  });

  it.each([
    'https://example.com/x',
    'http://example.com/x',
    'dingtalk://dingtalkclient/page/link?url=x',
    'eapp://pages/index/index?x=y',
  ])('keeps %s with rel="noopener noreferrer"', (url) => {
    for (const msg of [
      { msgtype: 'markdown', markdown: { title: 't', text: `[go](${url})` } },
      { msgtype: 'action_card', action_card: { markdown: 'm', single_title: 'go', single_url: url } },
    ]) {
      const html = renderMessageHtml(msg);
      expect(html).toContain(`href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer"`);
    }
  });
});

describe('argbToCss reads DingTalk ARGB colours (alpha first)', () => {
  it.each([
    ['FFBBBBBB', 'rgba(187, 187, 187, 1)'],
    ['0xFFF65E5E', 'rgba(246, 94, 94, 1)'],
    ['0XFF78C06E', 'rgba(120, 192, 110, 1)'],
    ['80000000', 'rgba(0, 0, 0, 0.502)'],
    ['00FF0000', 'rgba(255, 0, 0, 0)'],
    ['#3296FA', 'rgba(50, 150, 250, 1)'],
    ['3296fa', 'rgba(50, 150, 250, 1)'],
    ['red', undefined],
    ['FFBBBBB', undefined],
    ['0xFFF65E5E; background:url(x)', undefined],
    [42, undefined],
  ])('%s → %s', (input, css) => {
    expect(argbToCss(input)).toBe(css);
  });
});
