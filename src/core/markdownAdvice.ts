/**
 * What DingTalk's markdown shows differently from what the author wrote (dingtalk-api.md §2.7): a single
 * newline does not break the line (two spaces before it, or a blank line, do); tables, code blocks and
 * strikethrough show as plain text; HTML tags make the message blank on the mobile client.
 *
 * Works on the template's source text, so each finding has the line and column where the author can fix it.
 * Handlebars is kept as opaque text, except that a line holding only a block tag (`{{#each}}`, `{{/if}}`,
 * `{{else}}`, a comment) is dropped the way Handlebars drops such standalone lines.
 */

export interface MarkdownAdvice {
  code: string;
  /** 1-based, within the text. */
  line: number;
  column: number;
  message: string;
  hint: string;
}

const STANDALONE = /^\s*\{\{\s*(?:[#/^~]|else\b|!)[^}]*\}\}\s*$/;
const EACH_OPEN = /^\s*\{\{~?#each\b/;
const EACH_CLOSE = /^\s*\{\{~?\/each\b/;
/** Lines that start a block of their own, so the line before them ends where it should. */
const STARTS_BLOCK = /^\s{0,3}(?:#{1,6}\s|>|[-*+]\s|\d+[.)]\s|(?:[-*_]\s*){3,}$)/;
const HARD_BREAK = / {2,}$|\\$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/;
const FENCE = /^\s*(?:```|~~~)/;
const INDENTED_CODE = /^( {4,}|\t)\S/;
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/;
const STRIKE = /~~[^~\s][^~]*~~/;

interface SourceLine {
  text: string;
  number: number;
  /** Set on the last line of an `{{#each}}` body: the body's first line, which follows it in the output. */
  eachFirst?: string;
}

/** The source lines that produce output, with whether they sit in an `{{#each}}` body. */
function contentLines(text: string): SourceLine[] {
  const out: SourceLine[] = [];
  const opened: number[] = []; // index in `out` where each open {{#each}} body starts
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!STANDALONE.test(line)) return void out.push({ text: line, number: i + 1 });
    if (EACH_OPEN.test(line)) opened.push(out.length);
    if (EACH_CLOSE.test(line)) {
      const start = opened.pop();
      const first = start !== undefined ? out[start] : undefined;
      const last = out.at(-1);
      if (first && last && start !== undefined && start < out.length) last.eachFirst = first.text;
    }
  });
  return out;
}

const blank = (s: string): boolean => s.trim() === '';

export function markdownAdvice(text: string): MarkdownAdvice[] {
  const found: MarkdownAdvice[] = [];
  const lines = contentLines(text);
  let inFence = false;
  lines.forEach((l, i) => {
    const next = lines[i + 1];
    if (FENCE.test(l.text)) {
      if (!inFence) found.push({ code: 'markdown/code-block', line: l.number, column: l.text.search(/\S/) + 1, message: 'DingTalk does not render code blocks: the ``` lines and the code show as plain text', hint: 'Write the code as plain lines (each ending with two spaces), or link to it.' });
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    const prev = lines[i - 1];
    if (INDENTED_CODE.test(l.text) && (!prev || blank(prev.text))) {
      found.push({ code: 'markdown/code-block', line: l.number, column: 1, message: 'a line indented by 4 spaces (or a tab) after a blank line is a code block, which DingTalk shows as plain text', hint: 'Remove the indentation.' });
    }
    if (next && TABLE_SEPARATOR.test(next.text) && l.text.includes('|')) {
      found.push({ code: 'markdown/table', line: l.number, column: l.text.search(/\S/) + 1, message: 'DingTalk does not render tables: the | and --- show as plain text on the phone', hint: 'Use a list (`- name: value`) or an OA message\'s form rows instead.' });
    }
    const tag = HTML_TAG.exec(l.text);
    if (tag) {
      found.push({ code: 'markdown/html', line: l.number, column: tag.index + 1, message: `HTML (\`${tag[0]}\`) renders on the PC client but makes the message blank on the mobile client`, hint: 'Use markdown instead: **bold**, [text](url), a blank line for a paragraph.' });
    }
    const strike = STRIKE.exec(l.text);
    if (strike) {
      found.push({ code: 'markdown/strikethrough', line: l.number, column: strike.index + 1, message: 'DingTalk does not render ~~strikethrough~~: the tildes show as typed', hint: 'Remove the ~~ or say it in words.' });
    }
    if (blank(l.text) || HARD_BREAK.test(l.text) || TABLE_SEPARATOR.test(l.text)) return;
    // One `{{#each}}` body line repeats: each item's line runs into the next one unless it starts a block.
    if (l.eachFirst !== undefined && !blank(l.eachFirst) && !STARTS_BLOCK.test(l.eachFirst)) {
      found.push({ code: 'markdown/single-newline', line: l.number, column: l.text.length + 1, message: 'each item of this {{#each}} ends with a single newline, so DingTalk shows all items on one line', hint: 'End the line with two spaces, start it with `- ` to make a list, or leave a blank line after it.' });
      return;
    }
    if (!next || blank(next.text) || STARTS_BLOCK.test(next.text) || TABLE_SEPARATOR.test(next.text) || FENCE.test(next.text)) return;
    if (/^\s{0,3}#{1,6}\s/.test(l.text)) return; // a heading ends at its newline
    found.push({ code: 'markdown/single-newline', line: l.number, column: l.text.length + 1, message: 'a single newline does not break the line in DingTalk: this line and the next show as one', hint: 'End the line with two spaces, or leave a blank line between them.' });
  });
  return found;
}
