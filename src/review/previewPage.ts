import type { CallRecipients } from '../core/chunk.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { isOverLimit, type RenderedItem } from '../core/rendered.js';
import { escapeHtml, renderMessageHtml, renderPage, type RenderMessageOptions } from '../preview/index.js';
import { PREVIEW_CSS } from './previewStyles.js';

export interface PreviewPageOptions {
  title?: string;
  /** Shown above each card where DingTalk shows the sending app's name. */
  appName?: string;
  /** Shown in the header, as given (the CLI passes the render time). */
  generatedAt?: string;
  /** Render problems: notifications that could not be rendered are listed at the top. */
  problems?: Diagnostic[];
  /** What a media_id stands for (a local image's bytes as a data: URL, a file's name): the preview then shows it. */
  media?: RenderMessageOptions['media'];
}

/**
 * One self-contained HTML page (inline CSS, no scripts) with every rendered message drawn by the same
 * renderer as the sandbox inbox, and beside it what a reviewer checks: size against 2048 bytes, recipients, calls.
 */
export function buildPreviewPage(items: RenderedItem[], opts: PreviewPageOptions = {}): string {
  const title = opts.title ?? 'dingcast preview';
  const calls = items.reduce((s, i) => s + i.calls.length, 0);
  const over = items.filter(isOverLimit).length;
  const stats = [`${items.length} message${items.length === 1 ? '' : 's'}`, `${calls} asyncsend_v2 call${calls === 1 ? '' : 's'}`];
  if (over > 0) stats.push(`<span class="dcr-bad">${over} over 2048 bytes</span>`);
  if (opts.generatedAt) stats.push(`rendered ${escapeHtml(opts.generatedAt)}`);
  const body =
    `<style>${PREVIEW_CSS}</style>\n` +
    `<header class="dcr-head"><h1>${escapeHtml(title)}</h1><p class="dcr-stats" data-field="stats">${stats.join(' · ')}</p></header>\n` +
    renderProblems(opts.problems ?? []) +
    `<main class="dcr-grid">\n${items.map((i) => renderItem(i, opts)).join('\n')}\n</main>`;
  return renderPage({ title, body });
}

function renderItem(item: RenderedItem, opts: PreviewPageOptions): string {
  const label = item.kind === 'notification' ? item.id : `${item.id} · ${item.example ?? ''}`;
  const sub = item.kind === 'notification' ? `template ${item.template}` : `template ${item.template}, example ${item.example ?? ''}`;
  return (
    `<section class="dcr-item" data-kind="${item.kind}" data-id="${escapeHtml(item.id)}">` +
    `<h2 class="dcr-item__id">${escapeHtml(label)}</h2><p class="dcr-item__sub">${escapeHtml(sub)}</p>` +
    renderMessageHtml(item.msg, { appName: opts.appName ?? '工作通知', ...(opts.media ? { media: opts.media } : {}) }) +
    renderSize(item) +
    renderRecipients(item) +
    `</section>`
  );
}

function renderSize(item: RenderedItem): string {
  if (item.limit === null) {
    return `<div class="dcr-size dcr-size--ok" data-field="size" data-bytes="${item.bytes}"><p class="dcr-size__label">sendbytemplate: data is ${item.bytes} bytes (DingTalk documents no limit)</p></div>`;
  }
  const pct = (item.bytes / item.limit) * 100;
  const level = item.bytes > item.limit ? 'over' : pct >= 80 ? 'near' : 'ok';
  const largest = item.contributors.map((c) => `<li><code>${escapeHtml(c.path)}</code> ${c.bytes} B</li>`).join('');
  return (
    `<div class="dcr-size dcr-size--${level}" data-field="size" data-bytes="${item.bytes}" data-limit="${item.limit}">` +
    `<div class="dcr-size__track"><div class="dcr-size__bar" style="width:${Math.min(100, pct).toFixed(1)}%"></div></div>` +
    `<p class="dcr-size__label">${item.bytes} / ${item.limit} bytes (${Math.round(pct)}%)${level === 'over' ? ' — over the limit: DingTalk drops it' : ''}</p>` +
    (largest ? `<ul class="dcr-size__largest" aria-label="largest fields">${largest}</ul>` : '') +
    `</div>`
  );
}

function renderRecipients(item: RenderedItem): string {
  const r = item.recipients;
  if (!r) return `<p class="dcr-to dcr-muted" data-field="recipients">template example: no recipients</p>`;
  const rows: string[] = [];
  if (r.all) rows.push(`<dt>everyone</dt><dd>to_all_user</dd>`);
  if (r.users.length > 0) rows.push(`<dt>users (${r.users.length})</dt><dd data-field="users">${r.users.map((u) => escapeHtml(u)).join(', ')}</dd>`);
  if (r.departments.length > 0) rows.push(`<dt>departments (${r.departments.length})</dt><dd data-field="departments">${r.departments.map((d) => escapeHtml(String(d))).join(', ')}</dd>`);
  rows.push(`<dt>calls</dt><dd data-field="calls" data-calls="${item.calls.length}">${item.calls.length} ${item.api} call${item.calls.length === 1 ? '' : 's'}${describeCalls(item.calls)}</dd>`);
  return `<dl class="dcr-to" data-field="recipients">${rows.join('')}</dl>`;
}

function describeCalls(calls: CallRecipients[]): string {
  if (calls.length <= 1) return '';
  const parts = calls.map((c) => [c.userids ? `${c.userids.length} users` : '', c.deptIds ? `${c.deptIds.length} depts` : ''].filter(Boolean).join(' + '));
  return ` <span class="dcr-muted">(${escapeHtml(parts.join(' | '))})</span>`;
}

function renderProblems(problems: Diagnostic[]): string {
  if (problems.length === 0) return '';
  const items = problems.map((p) => `<li><code>${escapeHtml(p.code)}</code> ${escapeHtml(p.message)}</li>`).join('');
  return `<section class="dcr-problems" data-field="problems"><h2>Not rendered (${problems.length})</h2><ul>${items}</ul></section>\n`;
}
