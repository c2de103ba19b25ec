import pc from 'picocolors';
import { describeBytes, describePair, describeRecipients, describeTemplate, summaryLine } from './describeChange.js';
import type { NotificationChange, ProjectDiff } from './diffProjects.js';
import type { TemplateChange } from './diffTemplates.js';

export interface DiffHeading {
  /** e.g. `merge-base with origin/main`. */
  base: string;
  commit: string;
}

const MARK = { added: pc.green('+'), removed: pc.red('-'), changed: pc.yellow('~') } as const;

/** The terminal form: one block per changed notification and template, each with its rendered diff. */
export function formatDiffText(d: ProjectDiff, heading: DiffHeading): string {
  const lines = [pc.bold(`dingcast diff: ${heading.base} (${heading.commit.slice(0, 7)}) → working tree`), summaryLine(d), ''];
  for (const n of d.notifications) lines.push(...notificationBlock(n), '');
  for (const t of d.templates) lines.push(...templateBlock(t), '');
  return lines.join('\n');
}

function notificationBlock(n: NotificationChange): string[] {
  const out = [`${MARK[n.status]} notification ${pc.bold(n.id)} ${pc.dim(`(${n.status})`)}`];
  out.push(`  template:   ${describeTemplate(n)}`);
  out.push(`  size:       ${describeBytes(n.bytes)}`);
  const who = describeRecipients(n);
  if (who) out.push(`  recipients: ${who}`);
  out.push(`  calls:      ${describePair(n.calls)}`);
  for (const s of n.settings) out.push(`  ${s}`);
  if (n.errors.new) out.push(pc.red(`  does not render now: ${n.errors.new.join('; ')}`));
  if (n.status !== 'removed' && n.diff) out.push(...indentDiff(n.diff));
  return out;
}

function templateBlock(t: TemplateChange): string[] {
  const out = [`${MARK[t.status]} template ${pc.bold(t.id)} ${pc.dim(`(${t.status})`)} version ${describePair(t.version)}${t.usedBy.length > 0 ? `, used by ${t.usedBy.join(', ')}` : ''}`];
  if (t.contentChangedWithoutBump) out.push(pc.yellow(`  the rendered content changed but \`version\` is still ${String(t.version.new)}: bump it (and the pins)`));
  if (t.sourceOnly) out.push('  the file changed; no example renders differently');
  for (const e of t.examples) {
    out.push(`  example ${e.name}: ${describeBytes(e.bytes)}`);
    if (t.status !== 'removed') out.push(...indentDiff(e.diff));
  }
  return out;
}

function indentDiff(diff: string): string[] {
  return diff
    .trimEnd()
    .split('\n')
    .map((l) => {
      const colour = l.startsWith('+++') || l.startsWith('---') ? pc.bold : l.startsWith('@@') ? pc.cyan : l.startsWith('+') ? pc.green : l.startsWith('-') ? pc.red : (s: string) => s;
      return `    ${colour(l)}`;
    });
}
