import { isOverLimit, type RenderedItem } from '../core/rendered.js';
import { escapeMarkdown } from '../core/escape.js';

/** `render`'s part of a GitHub job summary: one row per rendered message. */
export function formatRenderSummary(items: RenderedItem[]): string {
  const over = items.filter(isOverLimit).length;
  const calls = items.reduce((s, i) => s + i.calls.length, 0);
  const lines = [
    '### dingcast render',
    '',
    `${items.length} message(s), ${calls} asyncsend_v2 call(s)${over > 0 ? `, **${over} over 2048 bytes**` : ''}.`,
    '',
    '| | message | template | size | recipients | calls |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const i of items) {
    const name = i.kind === 'notification' ? i.id : `${i.id} (example ${i.example ?? ''})`;
    const size = i.limit === null ? `${i.bytes} B (sendbytemplate data)` : `${i.bytes}/${i.limit} B (${Math.round((i.bytes / i.limit) * 100)}%)`;
    const r = i.recipients;
    const to = !r ? '—' : [r.all ? 'everyone' : '', r.users.length ? `${r.users.length} user(s)` : '', r.departments.length ? `${r.departments.length} dept(s)` : ''].filter(Boolean).join(', ') || '—';
    lines.push(`| ${isOverLimit(i) ? '❌' : '✅'} | **${escapeMarkdown(name)}** | ${escapeMarkdown(i.template)} | ${size} | ${to} | ${i.calls.length} |`);
  }
  return lines.join('\n') + '\n';
}
