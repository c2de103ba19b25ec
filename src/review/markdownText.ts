/**
 * Ids, userids and messages come from YAML that a pull request may change: in a PR comment or a job summary
 * they must stay text, exactly as in report.md.
 */
export { escapeMarkdown as escapeMd } from '../io/reports/_escape.js';

/** A fenced block that the content cannot close: the fence is longer than any backtick run inside. */
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
