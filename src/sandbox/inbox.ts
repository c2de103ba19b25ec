import type { ServerResponse } from 'node:http';
import { escapeHtml, renderMessageHtml, renderPage } from '../preview/index.js';
import { sniffFormat } from '../core/media/sniff.js';
import type { Emulator } from './context.js';
import { decodePathPart } from './guard.js';
import { createStateView, type InboxItem } from './views.js';

const PAGE_CSS = `<style>
.sb-wrap{max-width:560px;margin:0 auto;padding:16px}
.sb-users{list-style:none;padding:0;margin:0}
.sb-users li{display:flex;justify-content:space-between;padding:10px 12px;background:#fff;border-radius:8px;margin:6px 0}
.sb-users a{color:#1f2329;text-decoration:none}
.sb-badge{background:#f54a45;color:#fff;border-radius:10px;padding:0 7px;font-size:12px;line-height:18px}
.sb-item{margin:14px 0}
.sb-recalled{color:#8f959e;font-size:13px;text-align:center;padding:8px;background:#eff0f1;border-radius:6px}
.sb-empty{color:#8f959e;text-align:center;padding:24px}
.sb-head a{color:#3296fa;font-size:13px}
</style>`;

/** `/` lists the directory's users with unread counts; `/inbox/<userid>` shows one user's messages, newest first. */
export function handleInboxPage(emu: Emulator, res: ServerResponse, url: URL): void {
  if (url.pathname.startsWith(MEDIA_PREFIX)) return serveMedia(emu, res, decodeURIComponent(url.pathname.slice(MEDIA_PREFIX.length)));
  const view = createStateView(emu);
  if (url.pathname === '/' || url.pathname === '/inbox' || url.pathname === '/inbox/') {
    const rows = view
      .users()
      .map(
        (u) =>
          `<li data-userid="${escapeHtml(u.userid)}"><a href="/inbox/${encodeURIComponent(u.userid)}">${escapeHtml(u.name)} ` +
          `<small>(${escapeHtml(u.userid)})</small></a>` +
          (u.unread > 0 ? `<span class="sb-badge" data-field="unread">${u.unread}</span>` : '') +
          `</li>`,
      )
      .join('');
    return sendHtml(res, 200, 'dingcast sandbox — users', `<h1>工作通知 · dingcast sandbox</h1><ul class="sb-users">${rows}</ul>`);
  }
  const userid = decodePathPart(url.pathname.slice('/inbox/'.length));
  const user = view.users().find((u) => u.userid === userid);
  if (!user) return sendHtml(res, 404, 'not found', `<p class="sb-empty">No user "${escapeHtml(userid)}" in the sandbox directory.</p>`);
  const items = view.inbox(userid);
  const cards = items.map((item) => renderItem(emu, item)).join('\n');
  const body =
    `<div class="sb-head"><a href="/">← all users</a><h1>${escapeHtml(user.name)} <small>(${escapeHtml(userid)})</small></h1>` +
    `<p>${items.length} 条工作通知, ${user.unread} 条未读</p></div>` +
    (items.length === 0 ? `<p class="sb-empty">No messages yet.</p>` : cards);
  sendHtml(res, 200, `${user.name} — dingcast sandbox inbox`, body);
}

function renderItem(emu: Emulator, item: InboxItem): string {
  const sentAt = formatTime(Date.parse(item.delivered_at), emu.config.tunables.timezone);
  const attrs = `class="sb-item" data-task-id="${item.task_id}" data-recalled="${item.recalled}"`;
  if (item.recalled) {
    // DingTalk replaces a recalled work notification with a one-line notice.
    return `<section ${attrs}><div class="sb-recalled" data-field="recalled">“${escapeHtml(item.app_name)}” 撤回了一条消息 · ${escapeHtml(sentAt)}</div></section>`;
  }
  const html = renderMessageHtml(item.msg, {
    appName: item.app_name,
    read: item.read,
    sentAt,
    ...(item.status_bar ? { statusBar: item.status_bar } : {}),
    media: (id) => mediaForPreview(emu, id),
  });
  return `<section ${attrs}>${html}</section>`;
}

/** Uploaded images are shown in the inbox, other uploads by name and size (sandbox ids only; real ids need a token). */
const MEDIA_PREFIX = '/inbox/media/';
const IMAGE_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif', bmp: 'image/bmp' };

function mediaForPreview(emu: Emulator, id: string): { src?: string; name: string; label: string } | undefined {
  const m = emu.state.media.get(id);
  if (!m) return undefined;
  const label = `${m.filename} · ${m.size < 1024 ? `${m.size} B` : `${Math.ceil(m.size / 1024)} KB`}`;
  return { ...(m.type === 'image' ? { src: `${MEDIA_PREFIX}${encodeURIComponent(id)}` } : {}), name: m.filename, label };
}

function serveMedia(emu: Emulator, res: ServerResponse, id: string): void {
  const m = emu.state.media.get(id);
  if (!m) return sendHtml(res, 404, 'not found', `<p class="sb-empty">No uploaded media "${escapeHtml(id)}".</p>`);
  const format = sniffFormat(m.bytes.subarray(0, 64));
  const inline = m.type === 'image' && format !== undefined && format in IMAGE_TYPES;
  res.writeHead(200, {
    'content-type': inline ? IMAGE_TYPES[format]! : 'application/octet-stream',
    'content-length': m.bytes.length,
    'x-content-type-options': 'nosniff',
    ...(inline ? {} : { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(m.filename)}` }),
  });
  res.end(m.bytes);
}

function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  const html = renderPage({ title, body: `${PAGE_CSS}<main class="sb-wrap">${body}</main>` });
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

function formatTime(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));
}
