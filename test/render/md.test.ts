import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { renderText } from './_render.js';

// The preview renderer, with raw HTML allowed so that an HTML injection would show up as a tag.
const markdown = new MarkdownIt({ html: true, breaks: true });

function decode(html: string): string {
  return html
    .replace(/<br>\n?/g, '\n')
    .replace(/<\/?p>\n?/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\u00a0/g, ' ')
    .trimEnd();
}

describe('md: user text stays text in markdown', () => {
  it.each([
    ['[click](http://evil.example)'],
    ['![x](http://evil.example/p.png)'],
    ['**bold** and *em* and _em_ and `code`'],
    ['# heading\n## another'],
    ['- item\n+ item\n* item\n1. item\n2) item'],
    ['> quote'],
    ['title\n====='],
    ['title\n-----'],
    ['<script>alert(1)</script><font color="red">x</font>'],
    ['<http://auto.link>'],
    ['back\\slash \\[not a link\\](x)'],
    ['a | b\n--|--\n1 | 2'],
    ['~~strike~~'],
    ['    four-space indent'],
    ['v1.4.0 - done, 100% (3/4)'],
  ])('%j', (input) => {
    const escaped = renderText('{{md v}}', { v: input });
    expect(typeof escaped).toBe('string');
    const html = markdown.render(escaped as string);
    expect(html).not.toMatch(/<(?!\/?p>|br>)[a-z]/i); // no element but paragraphs and line breaks
    expect(decode(html)).toBe(input);
  });
});
