import { describeBytes, describePair, describeRecipients, describeTemplate, summaryLine } from './describeChange.js';
import type { NotificationChange, ProjectDiff } from './diffProjects.js';
import type { TemplateChange } from './diffTemplates.js';
import type { DiffHeading } from './formatDiffText.js';
import { escapeHtmlText, escapeMarkdown, fenced } from '../core/escape.js';

/** A workflow finds its earlier comment by this marker and edits it instead of adding another. */
export const DIFF_COMMENT_MARKER = '<!-- dingcast-diff -->';

const LABEL = { added: '➕ added', removed: '➖ removed', changed: '✏️ changed' } as const;

/** The pull-request comment: a table of what changes for recipients, then each rendered diff folded. */
export function formatDiffMarkdown(d: ProjectDiff, heading: DiffHeading): string {
  const out = [
    DIFF_COMMENT_MARKER,
    `### dingcast: rendered messages vs ${escapeMarkdown(heading.base)} (\`${heading.commit.slice(0, 7)}\`)`,
    '',
    `${escapeMarkdown(summaryLine(d))}.`,
    '',
  ];
  if (d.notifications.length > 0) {
    out.push('| | notification | template | size | recipients | calls |', '| --- | --- | --- | --- | --- | --- |');
    for (const n of d.notifications) out.push(notificationRow(n));
    out.push('');
    for (const n of d.notifications) out.push(...notificationDetails(n));
  }
  if (d.templates.length > 0) {
    out.push('| | template | version | examples | used by |', '| --- | --- | --- | --- | --- |');
    for (const t of d.templates) out.push(templateRow(t));
    out.push('');
    for (const t of d.templates) out.push(...templateDetails(t));
  }
  return out.join('\n').trimEnd() + '\n';
}

function notificationRow(n: NotificationChange): string {
  const cells = [LABEL[n.status], `**${escapeMarkdown(n.id)}**`, escapeMarkdown(describeTemplate(n)), escapeMarkdown(describeBytes(n.bytes)), escapeMarkdown(describeRecipients(n) || '—'), escapeMarkdown(describePair(n.calls))];
  return `| ${cells.join(' | ')} |`;
}

function notificationDetails(n: NotificationChange): string[] {
  const notes: string[] = [];
  for (const s of n.settings) notes.push(`- ${escapeMarkdown(s)}`);
  if (n.errors.new) notes.push(`- ❌ does not render: ${escapeMarkdown(n.errors.new.join('; '))}`);
  if (n.status === 'removed' || (n.diff === '' && notes.length === 0)) return notes.length > 0 ? [...notes, ''] : [];
  const body = n.diff === '' ? [] : [...(notes.length > 0 ? [''] : []), fenced(n.diff, 'diff')];
  return [`<details><summary><code>${escapeHtmlText(n.id)}</code>: rendered message${n.status === 'added' ? '' : ' diff'}</summary>`, '', ...notes, ...body, '', '</details>', ''];
}

function templateRow(t: TemplateChange): string {
  const examples = t.examples.map((e) => `${e.name} ${describeBytes(e.bytes)}`).join('; ') || (t.sourceOnly ? 'no rendered change' : '—');
  const version = describePair(t.version) + (t.contentChangedWithoutBump ? ' ⚠️ content changed, version not bumped' : '');
  return `| ${[LABEL[t.status], `**${escapeMarkdown(t.id)}**`, escapeMarkdown(version), escapeMarkdown(examples), escapeMarkdown(t.usedBy.join(', ') || '—')].join(' | ')} |`;
}

function templateDetails(t: TemplateChange): string[] {
  if (t.status === 'removed') return [];
  return t.examples.flatMap((e) => [
    `<details><summary>template <code>${escapeHtmlText(t.id)}</code>, example <code>${escapeHtmlText(e.name)}</code></summary>`,
    '',
    fenced(e.diff, 'diff'),
    '',
    '</details>',
    '',
  ]);
}
