import { escapeHtml } from './escape.js';

/** Shape shared by every card renderer: the msg payload (already known to be an object) and the options. */
export type Payload = Record<string, unknown>;

/** A plain element carrying `data-field`, which tests and the sandbox use to find card parts. */
export function field(name: string, className: string, innerHtml: string, tag = 'div'): string {
  return `<${tag} class="${className}" data-field="${escapeHtml(name)}">${innerHtml}</${tag}>`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A grey box standing in for media the preview cannot fetch (DingTalk media ids need a token). */
export function mediaPlaceholder(kind: string, label: string, mediaId: string, className = ''): string {
  return (
    `<div class="dc-placeholder ${className}" data-field="${escapeHtml(kind)}-placeholder">` +
    `<span class="dc-placeholder__label">${escapeHtml(label)}</span>` +
    `<span class="dc-placeholder__id" data-field="media-id">${escapeHtml(mediaId)}</span></div>`
  );
}
