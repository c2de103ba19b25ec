import { describe, expect, it } from 'vitest';
import { OA_FORM_ROWS_SHOWN, renderMessageHtml } from '../../src/preview/index.js';
import { SAMPLE_MESSAGES } from './_messages.js';

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('oa card', () => {
  it(`shows the first ${OA_FORM_ROWS_SHOWN} form rows and says how many are hidden`, () => {
    const html = renderMessageHtml(SAMPLE_MESSAGES.oa);
    expect(count(html, 'data-field="form-row"')).toBe(6);
    expect(html).toContain('天数:');
    expect(html).not.toContain('审批人:');
    expect(html).toContain('2 more hidden');
  });

  it.each([
    [0, 0, false],
    [6, 6, false],
    [7, 6, true],
  ])('%i form rows → %i shown, hidden note %s', (rows, shown, note) => {
    const form = Array.from({ length: rows }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    const html = renderMessageHtml({ msgtype: 'oa', oa: { head: {}, body: { form } } });
    expect(count(html, 'data-field="form-row"')).toBe(shown);
    expect(html.includes('data-field="form-hidden"')).toBe(note);
  });

  it('paints head.bgcolor and status_bg', () => {
    const html = renderMessageHtml(SAMPLE_MESSAGES.oa);
    expect(html).toMatch(/data-field="head"[^>]*style="background-color: rgba\(187, 187, 187, 1\)"/);
    expect(html).toMatch(/data-field="status-bar"[^>]*style="background-color: rgba\(246, 94, 94, 1\)">进行中</);
  });

  it.each([
    [{}, '头部'],
    [{ appName: '人事系统' }, '人事系统'],
  ])('head text with options %j is %s (DingTalk shows the app name)', (opts, text) => {
    expect(renderMessageHtml(SAMPLE_MESSAGES.oa, opts)).toContain(`data-field="head-text">${text}<`);
  });

  it('statusBar option overrides the msg status bar', () => {
    const html = renderMessageHtml(SAMPLE_MESSAGES.oa, { statusBar: { status_value: '已同意', status_bg: '0xFF78C06E' } });
    expect(html).toMatch(/data-field="status-bar"[^>]*rgba\(120, 192, 110, 1\)">已同意</);
    expect(html).not.toContain('进行中');
  });

  it('status bar without status_bg is black (DingTalk default)', () => {
    const html = renderMessageHtml({ msgtype: 'oa', oa: { head: {}, body: {}, status_bar: { status_value: 'x' } } });
    expect(html).toMatch(/data-field="status-bar"[^>]*rgba\(0, 0, 0, 1\)/);
  });
});

describe('action_card', () => {
  it.each([
    ['0', 'vertical'],
    ['1', 'horizontal'],
    [undefined, 'vertical'],
  ])('btn_orientation %s → %s', (orientation, layout) => {
    const html = renderMessageHtml({
      msgtype: 'action_card',
      action_card: { markdown: 'm', btn_orientation: orientation, btn_json_list: [{ title: 'A', action_url: 'https://a' }, { title: 'B', action_url: 'https://b' }] },
    });
    expect(html).toContain(`dc-ac__btns--${layout}`);
    expect(count(html, 'data-field="button"')).toBe(2);
  });

  it('whole-card style shows single_title as the link', () => {
    const html = renderMessageHtml({ msgtype: 'action_card', action_card: { title: 'T', markdown: 'm', single_title: '查看详情', single_url: 'https://x.example' } });
    expect(html).toMatch(/<a class="dc-ac__single" data-field="single" href="https:\/\/x.example"[^>]*>查看详情<\/a>/);
    expect(html).not.toContain('data-field="button"');
  });
});

describe('markdown subset', () => {
  const render = (text: string): string => renderMessageHtml({ msgtype: 'markdown', markdown: { title: 't', text } });
  it.each([
    ['heading', '## 标题', '<h2>标题</h2>'],
    ['quote', '> 引用', '<blockquote>'],
    ['bold', '**粗**', '<strong>粗</strong>'],
    ['italic', '*斜*', '<em>斜</em>'],
    ['ordered list', '1. one', '<ol>'],
    ['image', '![pic](https://img.example/a.png)', '<img class="dc-md__img" src="https://img.example/a.png" alt="pic"'],
    ['media id image', '![](@lADOabc)', 'data-field="image-placeholder">图片 @lADOabc<'],
    ['two spaces then a newline break the line', 'a  \nb', 'a<br>\nb'],
  ])('renders %s', (_name, text, expected) => {
    expect(render(text)).toContain(expected);
  });

  it.each([
    ['table', '| a | b |\n|---|---|\n| 1 | 2 |', '<table'],
    ['strikethrough', '~~gone~~', '<s>'],
    ['fenced code', '```\ncode\n```', '<pre'],
    ['indented code', 'para\n\n    code', '<pre'],
    ['raw html', '<b onclick="x()">hi</b>', '<b'],
    ['script', '<script>alert(1)</script>', '<script'],
  ])('does not render %s', (_name, text, forbidden) => {
    expect(render(text)).not.toContain(forbidden);
  });
});

describe('read marker', () => {
  it.each([
    [true, '已读'],
    [false, '未读'],
  ])('read=%s shows %s', (read, label) => {
    expect(renderMessageHtml(SAMPLE_MESSAGES.text, { read })).toContain(`data-read="${read}">${label}</div>`);
  });

  it('is absent when read is not given', () => {
    expect(renderMessageHtml(SAMPLE_MESSAGES.text)).not.toContain('data-field="read-state"');
  });
});

describe('unsupported or invalid msg', () => {
  const circular: Record<string, unknown> = { msgtype: 'sticker' };
  circular.self = circular;
  it.each([
    ['null', null],
    ['a number', 42],
    ['a string', 'text'],
    ['an array', [{ msgtype: 'text' }]],
    ['no msgtype', {}],
    ['unknown msgtype', { msgtype: 'sticker', sticker: {} }],
    ['prototype key as msgtype', { msgtype: 'constructor' }],
    ['payload missing', { msgtype: 'oa' }],
    ['payload not an object', { msgtype: 'text', text: 'hello' }],
    ['circular', circular],
    ['bigint', { msgtype: 'x', n: 1n }],
  ])('%s renders a visible unsupported card', (_name, msg) => {
    const html = renderMessageHtml(msg);
    expect(html).toMatch(/^<article class="dc-msg dc-msg--unsupported" data-msgtype="unsupported"/);
    expect(html).toContain('unsupported message');
  });

  it('tolerates wrong field types inside a known msgtype', () => {
    const html = renderMessageHtml({ msgtype: 'oa', oa: { head: 'x', body: { form: 'nope', rich: [], title: 5 } } });
    expect(html).toContain('data-msgtype="oa"');
    expect(html).toContain('data-field="title">5<');
  });
});
