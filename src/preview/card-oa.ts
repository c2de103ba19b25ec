import { argbToCss } from './colors.js';
import { escapeHtml, linkAttrs, readText, toSafeImageUrl, toSafeLinkUrl } from './escape.js';
import { field, isRecord, mediaPlaceholder, type Payload } from './_html.js';

/** DingTalk shows at most this many form rows and silently hides the rest. */
export const OA_FORM_ROWS_SHOWN = 6;

// DingTalk's own default when head.bgcolor is missing or unreadable is not documented;
// the accent blue keeps the preview recognisable.
const DEFAULT_HEAD_BG = 'rgba(50, 150, 250, 1)';
const DEFAULT_STATUS_BG = 'rgba(0, 0, 0, 1)';

export interface StatusBar {
  status_value: string;
  status_bg?: string;
}

export interface OaOptions {
  appName?: string;
  statusBar?: StatusBar;
}

export function renderOaCard(p: Payload, opts: OaOptions): string {
  const head = isRecord(p.head) ? p.head : {};
  const body = isRecord(p.body) ? p.body : {};
  const statusBar = opts.statusBar ?? (isRecord(p.status_bar) ? p.status_bar : undefined);
  return renderHead(head, opts.appName) + renderBody(body) + renderStatusBar(statusBar) + renderLinks(p);
}

function renderHead(head: Record<string, unknown>, appName: string | undefined): string {
  const bg = argbToCss(head.bgcolor) ?? DEFAULT_HEAD_BG;
  // For work notifications DingTalk replaces head.text with the sending app's name.
  const text = appName ?? readText(head.text);
  return (
    `<div class="dc-oa__head${isLight(bg) ? ' dc-oa__head--light' : ''}" data-field="head" ` +
    `data-bgcolor="${escapeHtml(readText(head.bgcolor))}" style="background-color: ${bg}">` +
    field('head-text', 'dc-oa__head-text', escapeHtml(text), 'span') +
    `</div>`
  );
}

function renderBody(body: Record<string, unknown>): string {
  const parts: string[] = [];
  const title = readText(body.title);
  if (title !== '') parts.push(field('title', 'dc-card__title', escapeHtml(title)));
  parts.push(renderForm(body.form));
  if (isRecord(body.rich)) {
    const num = escapeHtml(readText(body.rich.num));
    const unit = escapeHtml(readText(body.rich.unit));
    parts.push(field('rich', 'dc-oa__rich', `<span class="dc-oa__rich-num">${num}</span><span class="dc-oa__rich-unit">${unit}</span>`));
  }
  const content = readText(body.content);
  if (content !== '') parts.push(field('content', 'dc-oa__content', escapeHtml(content)));
  const image = readText(body.image);
  if (image !== '') parts.push(renderImage(image));
  const fileCount = readText(body.file_count);
  if (fileCount !== '') parts.push(field('file-count', 'dc-oa__files', `附件 ${escapeHtml(fileCount)} 个`));
  const author = readText(body.author);
  if (author !== '') parts.push(field('author', 'dc-oa__author', escapeHtml(author)));
  return `<div class="dc-oa__body">${parts.join('')}</div>`;
}

function renderForm(form: unknown): string {
  if (!Array.isArray(form) || form.length === 0) return '';
  const rows = form.slice(0, OA_FORM_ROWS_SHOWN).map((row: unknown) => {
    const r = isRecord(row) ? row : {};
    return field(
      'form-row',
      'dc-oa__form-row',
      `<span class="dc-oa__form-key">${escapeHtml(readText(r.key))}</span>` +
        `<span class="dc-oa__form-value">${escapeHtml(readText(r.value))}</span>`,
    );
  });
  const hidden = form.length - OA_FORM_ROWS_SHOWN;
  if (hidden > 0) {
    rows.push(field('form-hidden', 'dc-oa__form-hidden', `另有 ${hidden} 项未显示 · ${hidden} more hidden`));
  }
  return `<div class="dc-oa__form">${rows.join('')}</div>`;
}

function renderImage(image: string): string {
  const src = toSafeImageUrl(image);
  if (src === undefined) return mediaPlaceholder('image', '图片', image, 'dc-oa__image');
  return `<img class="dc-oa__image" data-field="image" src="${escapeHtml(src)}" alt="" referrerpolicy="no-referrer">`;
}

function renderStatusBar(bar: Record<string, unknown> | StatusBar | undefined): string {
  if (bar === undefined) return '';
  const value = readText(bar.status_value);
  if (value === '') return '';
  const raw = readText(bar.status_bg);
  const bg = argbToCss(raw) ?? DEFAULT_STATUS_BG;
  return (
    `<div class="dc-oa__status${isLight(bg) ? ' dc-oa__status--light' : ''}" data-field="status-bar" ` +
    `data-status-bg="${escapeHtml(raw)}" style="background-color: ${bg}">${escapeHtml(value)}</div>`
  );
}

function renderLinks(p: Payload): string {
  const mobile = toSafeLinkUrl(p.message_url);
  const pc = toSafeLinkUrl(p.pc_message_url);
  if (mobile === undefined && pc === undefined) return '';
  const href = pc ?? mobile ?? '';
  const pcAttr = pc === undefined ? '' : ` data-pc-url="${escapeHtml(pc)}"`;
  const mobileAttr = mobile === undefined ? '' : ` data-mobile-url="${escapeHtml(mobile)}"`;
  return `<a class="dc-card__footer" data-field="link" ${linkAttrs(href)}${pcAttr}${mobileAttr}>查看详情</a>`;
}

/** Light backgrounds get dark text so that e.g. DingTalk's grey `FFBBBBBB` head stays readable. */
function isLight(cssRgba: string): boolean {
  const m = /rgba\((\d+), (\d+), (\d+), ([\d.]+)\)/.exec(cssRgba);
  if (m === null) return false;
  const [r, g, b, a] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  return a < 0.5 || 0.299 * r + 0.587 * g + 0.114 * b > 186;
}
