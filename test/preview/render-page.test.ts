import { describe, expect, it } from 'vitest';
import { MESSAGE_CSS, renderMessageHtml, renderPage } from '../../src/preview/index.js';

describe('renderPage', () => {
  const page = renderPage({ title: '收件箱 <Inbox> & "all"', body: renderMessageHtml({ msgtype: 'text', text: { content: 'hi' } }) });

  it('is a complete document with a charset and the message CSS inline', () => {
    expect(page).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain(`<style>${MESSAGE_CSS}</style>`);
    expect(page).toContain('<body class="dc-page">');
  });

  it('escapes the title', () => {
    expect(page).toContain('<title>收件箱 &lt;Inbox&gt; &amp; &quot;all&quot;</title>');
  });

  it('fetches nothing from elsewhere', () => {
    expect(page).not.toMatch(/<link|<script|@import|url\(|https?:\/\//i);
  });

  it('honours lang', () => {
    expect(renderPage({ title: 't', body: '', lang: 'en' })).toContain('<html lang="en">');
  });
});

describe('MESSAGE_CSS', () => {
  it('uses a font stack with a CJK font available on Linux', () => {
    expect(MESSAGE_CSS).toContain('"WenQuanYi Micro Hei"');
  });

  it('uses DingTalk blue for accents', () => {
    expect(MESSAGE_CSS).toContain('#3296FA');
  });
});
