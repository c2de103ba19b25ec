import { describe, expect, it } from 'vitest';
import { markdownAdvice } from '../../src/core/markdownAdvice.js';
import { renderMarkdown } from '../../src/preview/markdown.js';

describe('the preview breaks lines where DingTalk does', () => {
  it.each([
    ['a single newline joins the lines', 'first\nsecond', '<p>first\nsecond</p>\n'],
    ['two spaces before the newline break it', 'first  \nsecond', '<p>first<br>\nsecond</p>\n'],
    ['a blank line starts a paragraph', 'first\n\nsecond', '<p>first</p>\n<p>second</p>\n'],
    ['list items stay items', '- a\n- b', '<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n'],
    ['a heading ends at its newline', '### Title\nbody', '<h3>Title</h3>\n<p>body</p>\n'],
  ])('%s', (_name, source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });
});

const codes = (text: string) => markdownAdvice(text).map((a) => `${a.line}:${a.column} ${a.code}`);

describe('markdown advice: what the mobile client shows badly', () => {
  it.each([
    ['single newline between two lines', 'Hello {{name}}\nWelcome aboard', ['1:15 markdown/single-newline']],
    ['two spaces', 'Hello  \nWelcome', []],
    ['blank line', 'Hello\n\nWelcome', []],
    ['a trailing backslash', 'Hello\\\nWelcome', []],
    ['heading then text', '### {{service}} {{version}}\nReleased today', []],
    ['text then a list', 'Changes:\n- a\n- b', []],
    ['a list', '- a\n- b\n1. c', []],
    ['a list item runs on into a plain line', '- a\ncontinued', ['1:4 markdown/single-newline']],
    ['each with list items', '### T\n{{#each changes}}\n- {{this}}\n{{/each}}', []],
    ['each with bare lines', '### T\n{{#each changes}}\n{{this}}\n{{/each}}', ['3:9 markdown/single-newline']],
    ['each with two spaces', '{{#each changes}}\n{{this}}  \n{{/each}}', []],
    ['if blocks are dropped like Handlebars does', 'a  \n{{#if x}}\nb\n{{/if}}\n\nc', []],
    ['a table', '| name | value |\n| --- | --- |\n| a | 1 |', ['1:1 markdown/table']],
    ['a code fence', 'run:\n\n```\nnpm ci\n```', ['3:1 markdown/code-block']],
    ['indented code', 'run:\n\n    npm ci', ['3:1 markdown/code-block']],
    ['html', 'see <b>this</b>', ['1:5 markdown/html']],
    ['a line break tag', 'a<br/>b', ['1:2 markdown/html']],
    ['strikethrough', 'price ~~100~~ 80', ['1:7 markdown/strikethrough']],
    ['a literal less-than is not html', 'a < b and 3<4', []],
  ])('%s', (_name, text, expected) => {
    expect(codes(text)).toEqual(expected);
  });
});
