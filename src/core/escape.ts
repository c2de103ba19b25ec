/**
 * Text that comes from YAML (which a pull request may change) or from DingTalk, written into Markdown, XML,
 * HTML or the terminal, must stay text.
 *
 * Userids, error messages and reasons come from YAML or from DingTalk: in report.md they must stay text.
 * HTML specials become entities so no tag can form; the characters that open Markdown emphasis, links,
 * code, tables or strike-through anywhere in a line get a backslash. Newlines become spaces, so user text
 * can never start a line (headings, lists, block quotes) or break a table row.
 */
export function escapeMarkdown(text: string): string {
  return stripControls(text)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]#|~!]/g, '\\$&');
}

/** Text and attribute values alike. Characters XML 1.0 cannot hold at all (not even as entities) become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** For the terminal: an errmsg must not smuggle escape sequences or line breaks into the output. */
export function plainText(text: string): string {
  return stripControls(text.replace(/\s*[\r\n]+\s*/g, ' '));
}

/** A fenced Markdown block that the content cannot close: the fence is longer than any backtick run inside. */
export function fenced(content: string, lang = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${stripControls(content).replace(/\n?$/, '\n')}${fence}`;
}

/** Text inside an HTML element (e.g. `<summary>`), where Markdown is not parsed. */
export function escapeHtmlText(text: string): string {
  return stripControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point (tabs and newlines stay)
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}
