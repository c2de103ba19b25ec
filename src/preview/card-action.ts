import { escapeHtml, linkAttrs, readText, toSafeLinkUrl } from './escape.js';
import { renderMarkdown } from './markdown.js';
import { field, isRecord, type Payload } from './_html.js';

export function renderActionCard(p: Payload): string {
  const title = readText(p.title);
  const parts: string[] = [];
  if (title !== '') parts.push(field('title', 'dc-card__title', escapeHtml(title)));
  parts.push(field('markdown', 'dc-md', renderMarkdown(readText(p.markdown))));
  // The doc allows one style per card; when both are sent the whole-card link is what we show.
  const singleTitle = readText(p.single_title);
  if (singleTitle !== '') parts.push(renderSingle(singleTitle, p.single_url));
  else if (Array.isArray(p.btn_json_list)) parts.push(renderButtons(p.btn_json_list, readText(p.btn_orientation)));
  return parts.join('');
}

function renderSingle(title: string, url: unknown): string {
  return linkOrSpan('single', 'dc-ac__single', title, url);
}

/** btn_orientation "0" stacks the buttons (DingTalk's default), "1" puts them side by side. */
function renderButtons(list: unknown[], orientation: string): string {
  const horizontal = orientation === '1';
  const buttons = list.map((btn: unknown) => {
    const b = isRecord(btn) ? btn : {};
    return linkOrSpan('button', 'dc-ac__btn', readText(b.title), b.action_url);
  });
  const modifier = horizontal ? 'horizontal' : 'vertical';
  return (
    `<div class="dc-ac__btns dc-ac__btns--${modifier}" data-field="buttons" ` +
    `data-orientation="${horizontal ? '1' : '0'}">${buttons.join('')}</div>`
  );
}

function linkOrSpan(name: string, className: string, label: string, url: unknown): string {
  const safe = toSafeLinkUrl(url);
  if (safe === undefined) {
    return `<span class="${className} ${className}--nolink" data-field="${name}">${escapeHtml(label)}</span>`;
  }
  return `<a class="${className}" data-field="${name}" ${linkAttrs(safe)}>${escapeHtml(label)}</a>`;
}
