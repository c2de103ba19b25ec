import { renderActionCard } from './card-action.js';
import { renderOaCard, type StatusBar } from './card-oa.js';
import {
  renderFileCard,
  renderImageCard,
  renderLinkCard,
  renderTextCard,
  renderUnsupportedCard,
  renderVoiceCard,
} from './cards-simple.js';
import { escapeHtml, readText } from './escape.js';
import { renderMarkdown } from './markdown.js';
import { field, isRecord, type Payload } from './_html.js';

export interface RenderMessageOptions {
  /** The sending app's name; shown above the card and, as DingTalk does, in place of an OA head.text. */
  appName?: string;
  /** When given, a read / unread marker is shown. */
  read?: boolean;
  /** Display text for the send time, shown as given. */
  sentAt?: string;
  /** Overrides the OA msg's own status_bar (the sandbox applies status-bar updates this way). */
  statusBar?: StatusBar;
  /**
   * What a media_id stands for when the caller knows it: the sandbox's uploads, or a local file in a dry run.
   * `src` must be a URL the page may load (the caller vouches for it); `name` is the file name to show.
   */
  media?: (mediaId: string) => { src?: string; name?: string; label?: string } | undefined;
}

type CardRenderer = (payload: Payload, opts: RenderMessageOptions) => string;

function renderMarkdownCard(p: Payload): string {
  const title = readText(p.title);
  return (
    (title === '' ? '' : field('title', 'dc-card__caption', escapeHtml(title))) +
    field('markdown', 'dc-md', renderMarkdown(readText(p.text)))
  );
}

/**
 * dingcast's sendbytemplate msg (ISV apps): DingTalk fills a template reviewed in its console, whose text the
 * preview does not know, so it shows the template id and each field's value, as far as dingcast can know it.
 */
function renderTemplateSendCard(p: Payload): string {
  const data = isRecord(p.data) ? p.data : {};
  // The OA form's rows: key on the left, value on the right.
  const rows = Object.entries(data).map(([k, v]) => field('data-field', 'dc-oa__form-row', `<span class="dc-oa__form-key">${escapeHtml(k)}</span><span class="dc-oa__form-value">${escapeHtml(readText(v))}</span>`)).join('');
  return (
    field('template-id', 'dc-card__caption', `DingTalk template <code>${escapeHtml(readText(p.template_id))}</code>`) +
    field('template-data', 'dc-oa__form', rows === '' ? '(no fields)' : rows) +
    field('template-note', 'dc-template-note', 'sendbytemplate: DingTalk shows these values in the template reviewed in its console.')
  );
}

const CARD_RENDERERS: Record<string, CardRenderer> = {
  sendbytemplate: renderTemplateSendCard,
  text: renderTextCard,
  image: renderImageCard,
  voice: renderVoiceCard,
  file: renderFileCard,
  link: renderLinkCard,
  oa: renderOaCard,
  markdown: renderMarkdownCard,
  action_card: renderActionCard,
};

/** Renders one DingTalk work-notification `msg` as an HTML fragment (one card). Never throws. */
export function renderMessageHtml(msg: unknown, opts: RenderMessageOptions = {}): string {
  const { msgtype, cardHtml } = renderCard(msg, opts);
  const readAttr = opts.read === undefined ? '' : ` data-read="${opts.read}"`;
  return (
    `<article class="dc-msg dc-msg--${msgtype}" data-msgtype="${msgtype}"${readAttr}>` +
    renderMeta(opts) +
    `<div class="dc-card dc-card--${msgtype}">${cardHtml}</div>` +
    renderReadMarker(opts.read) +
    `</article>`
  );
}

function renderCard(msg: unknown, opts: RenderMessageOptions): { msgtype: string; cardHtml: string } {
  if (!isRecord(msg)) return unsupported('msg is not an object', msg);
  const msgtype = msg.msgtype;
  if (typeof msgtype !== 'string') return unsupported('msgtype is missing', msg);
  const renderer = Object.hasOwn(CARD_RENDERERS, msgtype) ? CARD_RENDERERS[msgtype] : undefined;
  if (renderer === undefined) return unsupported(`unknown msgtype "${msgtype}"`, msg);
  const payload = msg[msgtype];
  if (!isRecord(payload)) return unsupported(`msg.${msgtype} is missing or not an object`, msg);
  try {
    return { msgtype, cardHtml: renderer(payload, opts) };
  } catch (err) {
    // A renderer bug must not take the whole inbox page down; show it on the card instead.
    return unsupported(`preview failed: ${err instanceof Error ? err.message : 'unknown error'}`, msg);
  }
}

function unsupported(reason: string, msg: unknown): { msgtype: string; cardHtml: string } {
  return { msgtype: 'unsupported', cardHtml: renderUnsupportedCard(reason, msg) };
}

function renderMeta(opts: RenderMessageOptions): string {
  if (opts.appName === undefined && opts.sentAt === undefined) return '';
  const name = opts.appName ?? '';
  const avatar = name === '' ? '' : `<span class="dc-msg__avatar" aria-hidden="true">${escapeHtml(Array.from(name)[0] ?? '')}</span>`;
  return (
    `<div class="dc-msg__meta">${avatar}` +
    (name === '' ? '' : field('app-name', 'dc-msg__app', escapeHtml(name), 'span')) +
    (opts.sentAt === undefined ? '' : field('sent-at', 'dc-msg__time', escapeHtml(opts.sentAt), 'time')) +
    `</div>`
  );
}

function renderReadMarker(read: boolean | undefined): string {
  if (read === undefined) return '';
  const label = read ? '已读' : '未读';
  return `<div class="dc-msg__read dc-msg__read--${read ? 'read' : 'unread'}" data-field="read-state" data-read="${read}">${label}</div>`;
}
