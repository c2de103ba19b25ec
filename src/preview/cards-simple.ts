import { escapeHtml, linkAttrs, readText, toSafeImageUrl, toSafeLinkUrl } from './escape.js';
import { field, mediaPlaceholder, type Payload } from './_html.js';

export function renderTextCard(p: Payload): string {
  return field('content', 'dc-text', escapeHtml(readText(p.content)));
}

/** DingTalk's link card: title on top, description left, thumbnail right. */
export function renderLinkCard(p: Payload): string {
  const url = toSafeLinkUrl(p.messageUrl);
  const title = escapeHtml(readText(p.title));
  const titleHtml = url === undefined ? title : `<a ${linkAttrs(url)}>${title}</a>`;
  const picUrl = readText(p.picUrl);
  const image = toSafeImageUrl(picUrl);
  const picture =
    image !== undefined
      ? `<img class="dc-link__pic" data-field="picture" src="${escapeHtml(image)}" alt="" referrerpolicy="no-referrer">`
      : mediaPlaceholder('picture', '图片', picUrl === '' ? '(none)' : picUrl, 'dc-link__pic');
  const target = url ?? readText(p.messageUrl);
  return (
    field('title', 'dc-card__title', titleHtml) +
    `<div class="dc-link__row">${field('text', 'dc-link__text', escapeHtml(readText(p.text)))}${picture}</div>` +
    field('url', 'dc-card__url' + (url === undefined ? ' dc-card__url--blocked' : ''), escapeHtml(target))
  );
}

type MediaLookup = { media?: (mediaId: string) => { src?: string; name?: string; label?: string } | undefined };

export function renderImageCard(p: Payload, opts: MediaLookup = {}): string {
  const id = readText(p.media_id);
  const known = opts.media?.(id);
  if (known?.src !== undefined) {
    return `<img class="dc-image" data-field="image" src="${escapeHtml(known.src)}" alt="${escapeHtml(known.name ?? '')}" title="${escapeHtml(known.label ?? id)}">`;
  }
  return mediaPlaceholder('image', '图片 image', id, 'dc-image');
}

export function renderFileCard(p: Payload, opts: MediaLookup = {}): string {
  const id = readText(p.media_id);
  const known = opts.media?.(id);
  return (
    `<div class="dc-file"><span class="dc-file__icon" aria-hidden="true">FILE</span>` +
    `<div class="dc-file__info">${field('file-name', 'dc-file__name', escapeHtml(known?.name ?? '文件 file'))}` +
    field('media-id', 'dc-file__id', escapeHtml(known?.label ?? id)) +
    `</div></div>`
  );
}

export function renderVoiceCard(p: Payload): string {
  const seconds = readText(p.duration).trim();
  return (
    `<div class="dc-voice"><span class="dc-voice__play" aria-hidden="true"></span>` +
    field('duration', 'dc-voice__duration', `${escapeHtml(seconds)}″`, 'span') +
    `</div>` +
    field('media-id', 'dc-voice__id', `语音 voice ${escapeHtml(readText(p.media_id))}`)
  );
}

/** Shown instead of throwing: the inbox must keep rendering even when one stored msg is malformed. */
export function renderUnsupportedCard(reason: string, msg: unknown): string {
  return (
    field('unsupported', 'dc-unsupported__title', '不支持的消息 · unsupported message') +
    field('reason', 'dc-unsupported__reason', escapeHtml(reason)) +
    field('raw', 'dc-unsupported__raw', escapeHtml(summariseJson(msg)), 'pre')
  );
}

function summariseJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  const text = json ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
