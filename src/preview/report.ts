import { badRecipientsOfCall, describeDiagnostic, describeError, describeForbidden, groupByStatus, isCallBad, plural, reportedNotifications, type ReportedNotification } from '../core/report/describe.js';
import { totalsOfStatuses } from '../core/report/totals.js';
import type { BrokenNotification, CallReport, NotificationReport, ReadPoint, RecipientStatus, Report, Totals } from '../core/send/types.js';
import { readableTime } from '../core/time.js';
import { escapeHtml as h } from './escape.js';
import { renderMessageHtml } from './message.js';
import { renderPage } from './page.js';
import type { StatusBar } from './card-oa.js';

/** Past this many people per outcome the list is cut (report.json has them all). */
const MAX_LISTED = 100;

/** Outcomes in the order the bars stack them: the good news first, then what needs a look. */
const BAR_ORDER: readonly RecipientStatus[] = ['read', 'unread', 'skipped', 'unknown', 'failed', 'forbidden', 'invalid'];
const FAILING: readonly RecipientStatus[] = ['failed', 'forbidden', 'invalid', 'unknown'];

const LABELS: Record<RecipientStatus, string> = {
  read: 'read 已读',
  unread: 'unread 未读',
  skipped: 'skipped 跳过',
  unknown: 'unknown 未知',
  failed: 'failed 失败',
  forbidden: 'forbidden 被限制',
  invalid: 'invalid 无效',
};

/**
 * report.html: the run at a glance, self-contained (inline CSS and SVG, nothing fetched): each notification's card as
 * DingTalk shows it, a read-rate bar with counts by outcome, the people it failed for, and once `report --refresh`
 * asked again, reads over time. Built from report.json alone, so a refresh rewrites it.
 */
export function formatReportHtml(report: Report, reported: readonly ReportedNotification[] = reportedNotifications(report)): string {
  const body = [
    `<main class="rp">`,
    header(report),
    summary(report),
    chart(report.read_history ?? [], report.timezone),
    ...(report.broken ?? []).map(broken),
    ...reported.map((rn) => notification(rn, report)),
    report.notifications.length === 0 ? `<p class="rp-empty">No notifications in this run.</p>` : '',
    `</main>`,
  ].join('\n');
  return renderPage({ title: `dingcast run ${report.run_id}`, body: `<style>${REPORT_CSS}</style>\n${body}` });
}

function header(r: Report): string {
  const flags = [r.dry_run && 'dry run (nothing was sent)', r.force && 'forced (ledger ignored)', r.sandbox && 'sandbox', r.stopped !== undefined && `stopped early: ${r.stopped}`].filter((f): f is string => typeof f === 'string');
  return (
    `<header class="rp-head"><h1>dingcast run <code>${h(r.run_id)}</code></h1>` +
    `<p>Started ${h(readableTime(r.started_at, r.timezone))}, finished ${h(readableTime(r.finished_at, r.timezone))} · ` +
    `${plural(r.notifications.length, 'notification')}, ${plural(r.totals.calls, 'call')}, ${r.api_calls} API calls · ${h(r.endpoint)}</p>` +
    (flags.length > 0 ? `<p class="rp-flags">${flags.map(h).join(' · ')}</p>` : '') +
    (r.followed_up === false ? `<p class="rp-flags">Not followed up yet (<code>send --no-wait</code>): run <code>dingcast report ${h(r.run_id)} --refresh</code> for who read it.</p>` : '') +
    `</header>`
  );
}

function summary(r: Report): string {
  return `<section class="rp-summary" data-field="totals"><h2>All notifications</h2>${readRate(r.totals)}${bar(r.totals)}${legend(r.totals)}</section>`;
}

/** "12 of 40 read (30%)": of the people a message reached (read + unread). */
function readRate(t: Pick<Totals, 'read' | 'unread'>): string {
  const reached = t.read + t.unread;
  const pct = reached === 0 ? 0 : Math.round((t.read / reached) * 100);
  return `<p class="rp-rate" data-field="read-rate" data-read="${t.read}" data-reached="${reached}"><strong>${pct}%</strong> read · ${t.read} of ${reached} reached</p>`;
}

function bar(t: Totals): string {
  const total = BAR_ORDER.reduce((sum, s) => sum + t[s], 0);
  if (total === 0) return `<div class="rp-bar rp-bar--empty" data-field="bar"></div>`;
  const segments = BAR_ORDER.filter((s) => t[s] > 0).map((s) => `<span class="rp-seg rp-seg--${s}" data-status="${s}" style="width:${((t[s] / total) * 100).toFixed(2)}%" title="${LABELS[s]}: ${t[s]}"></span>`);
  return `<div class="rp-bar" data-field="bar">${segments.join('')}</div>`;
}

function legend(t: Totals): string {
  const items = BAR_ORDER.filter((s) => t[s] > 0).map((s) => `<li data-status="${s}"><span class="rp-dot rp-seg--${s}"></span>${LABELS[s]} <b>${t[s]}</b></li>`);
  return `<ul class="rp-legend" data-field="counts">${items.join('')}</ul>`;
}

function notification(rn: ReportedNotification, r: Report): string {
  // The lookups every part needs, built once per write for the notification (a 100,000-recipient report stays linear).
  const { n } = rn;
  const totals = totalsOfStatuses(n.calls.length, rn.statuses);
  const bad = n.calls.some((c) => isCallBad(rn, c));
  const facts = [n.template, `${n.bytes} bytes`, n.slot !== undefined ? `slot ${n.slot}` : ''].filter(Boolean).map(h).join(' · ');
  const card = n.msg ? renderMessageHtml(n.msg, { sentAt: readableTime(r.started_at, r.timezone), ...statusBarOf(n.calls) }) : `<p class="rp-nocard">The message is not in this report (written by an older dingcast).</p>`;
  return (
    `<section class="rp-n" data-notification="${h(n.id)}" data-ok="${!bad}">` +
    `<h2><span class="rp-mark rp-mark--${bad ? 'bad' : 'ok'}">${bad ? '✖' : '✔'}</span> ${h(n.id)} <small>${facts}</small></h2>` +
    `<div class="rp-n__body"><div class="rp-n__card">${card}</div>` +
    `<div class="rp-n__stats">${readRate(totals)}${bar(totals)}${legend(totals)}${reminders(n)}${calls(rn)}${failing(rn)}</div></div>` +
    `</section>`
  );
}

/** A notification left out of the run for its errors (`send --all`/`--due`): failed, with each error. */
function broken(b: BrokenNotification): string {
  const items = b.diagnostics.map((d) => `<li>${h(describeDiagnostic(d))}${d.hint ? ` <small>(hint: ${h(d.hint)})</small>` : ''}</li>`);
  return (
    `<section class="rp-n" data-notification="${h(b.id)}" data-ok="false" data-field="broken">` +
    `<h2><span class="rp-mark rp-mark--bad">✖</span> ${h(b.id)} <small>not sent: ${plural(b.diagnostics.length, 'error')}</small></h2>` +
    `<p class="rp-calls">Left out of this run because of its errors; the other notifications went ahead.</p><ul class="rp-callist">${items.join('')}</ul>` +
    `</section>`
  );
}

/** Unread reminders (`remind:`): what this one reminds of, or who later runs reminded. */
function reminders(n: NotificationReport): string {
  const lines: string[] = [];
  if (n.reminder) lines.push(`Unread reminder of ${h(n.reminder.notification)} in run ${h(n.reminder.run)}: ${n.reminder.unread} unread, ${n.reminder.read} read when it came due`);
  for (const s of n.reminders ?? []) lines.push(`Reminded ${s.unread.length} unread in run ${h(s.run)} (${h(s.template)}): ${h(s.unread.slice(0, 20).join(', '))}${s.unread.length > 20 ? ' …' : ''}`);
  return lines.length > 0 ? `<ul class="rp-reminders">${lines.map((l) => `<li>${l}</li>`).join('')}</ul>` : '';
}

/** The status bar DingTalk shows now: the last one set on any of its calls. */
function statusBarOf(calls: CallReport[]): { statusBar?: StatusBar } {
  const set = calls.map((c) => c.status_bar).filter((s) => s !== undefined).sort((a, b) => a.updated_at.localeCompare(b.updated_at));
  const last = set[set.length - 1];
  return last ? { statusBar: { status_value: last.status_value, ...(last.status_bg !== undefined ? { status_bg: last.status_bg } : {}) } } : {};
}

/** Calls in one line when they all went well; otherwise each bad one with its error. */
function calls(rn: ReportedNotification): string {
  const { n } = rn;
  if (n.calls.length === 0) return `<p class="rp-calls">No calls: everyone was skipped.</p>`;
  const bad = n.calls.filter((c) => isCallBad(rn, c));
  const recalled = n.calls.filter((c) => c.recalled_at !== undefined).length;
  const head = `<p class="rp-calls">${plural(n.calls.length, 'call')}${bad.length === 0 ? ', all accepted' : `, ${bad.length} with problems`}${recalled > 0 ? ` · ${recalled} recalled` : ''}</p>`;
  const rows = bad.slice(0, MAX_LISTED).map((c) => `<li>call ${c.index + 1}: ${h(c.state)}${c.error ? ` — ${h(describeError(c.error))}` : c.state === 'unknown' ? ' — the run stopped before DingTalk answered' : `, not delivered to ${plural(badRecipientsOfCall(rn, c).size, 'recipient')}`}</li>`);
  return head + (rows.length > 0 ? `<ul class="rp-callist">${rows.join('')}</ul>` : '');
}

/** The people it did not reach, by outcome, with DingTalk's reason where there is one. */
function failing(rn: ReportedNotification): string {
  const { reasons } = rn;
  const groups = groupByStatus(rn).filter(([s]) => FAILING.includes(s));
  if (groups.length === 0) return '';
  const parts = groups.map(([status, users]) => {
    const shown = users.slice(0, MAX_LISTED).map((u) => {
      const why = status === 'forbidden' && reasons[u] ? ` <span class="rp-why">${h(describeForbidden(reasons[u]))}</span>` : '';
      return `<li data-userid="${h(u)}"><code>${h(u)}</code>${why}</li>`;
    });
    const more = users.length > MAX_LISTED ? `<li>… and ${users.length - MAX_LISTED} more (see report.json)</li>` : '';
    return `<h3>${LABELS[status]} (${users.length})</h3><ul class="rp-people" data-status="${status}">${shown.join('')}${more}</ul>`;
  });
  return `<div class="rp-failing" data-field="failing">${parts.join('')}</div>`;
}

/** Reads over time as an inline SVG line: one point when the run finished and one per `report --refresh`. */
function chart(points: readonly ReadPoint[], timeZone: string | undefined): string {
  if (points.length < 2) return '';
  const W = 640;
  const H = 180;
  const pad = { left: 44, right: 16, top: 16, bottom: 34 };
  const times = points.map((p) => Date.parse(p.at));
  const t0 = Math.min(...times);
  const span = Math.max(1, Math.max(...times) - t0);
  const top = Math.max(1, ...points.map((p) => p.read + p.unread));
  const x = (t: number) => pad.left + ((t - t0) / span) * (W - pad.left - pad.right);
  const y = (v: number) => H - pad.bottom - (v / top) * (H - pad.top - pad.bottom);
  const xy = points.map((p, i) => `${x(times[i]!).toFixed(1)},${y(p.read).toFixed(1)}`);
  const dots = points.map((p, i) => `<circle cx="${x(times[i]!).toFixed(1)}" cy="${y(p.read).toFixed(1)}" r="3.5"><title>${h(readableTime(p.at, timeZone))}: ${p.read} read, ${p.unread} unread</title></circle>`);
  const first = points[0]!;
  const last = points[points.length - 1]!;
  return (
    `<section class="rp-chart" data-field="read-chart" data-points="${points.length}"><h2>Reads over time</h2>` +
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="reads over time">` +
    `<line class="rp-axis" x1="${pad.left}" y1="${y(0)}" x2="${W - pad.right}" y2="${y(0)}"/>` +
    `<line class="rp-grid" x1="${pad.left}" y1="${y(top)}" x2="${W - pad.right}" y2="${y(top)}"/>` +
    `<text x="${pad.left - 6}" y="${y(top) + 4}" text-anchor="end">${top}</text><text x="${pad.left - 6}" y="${y(0) + 4}" text-anchor="end">0</text>` +
    `<polyline class="rp-line" points="${xy.join(' ')}"/>${dots.join('')}` +
    `<text x="${pad.left}" y="${H - 10}">${h(readableTime(first.at, timeZone))}</text>` +
    `<text x="${W - pad.right}" y="${H - 10}" text-anchor="end">${h(readableTime(last.at, timeZone))}: ${last.read} read</text>` +
    `</svg></section>`
  );
}

const REPORT_CSS = `
.rp { max-width: 980px; margin: 0 auto; font-size: 14px; }
.rp h1 { font-size: 20px; margin: 0 0 6px; }
.rp h2 { font-size: 16px; margin: 0 0 10px; }
.rp h2 small { font-weight: 400; color: #747677; font-size: 12px; margin-left: 6px; }
.rp h3 { font-size: 13px; margin: 10px 0 4px; }
.rp code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.rp-head p { margin: 2px 0; color: #5C5E60; }
.rp-flags { color: #B26B00 !important; }
.rp-summary, .rp-chart, .rp-n { background: #fff; border-radius: 8px; padding: 14px 16px; margin: 14px 0; box-shadow: 0 1px 3px rgba(23,26,29,.06); }
.rp-n__body { display: flex; gap: 20px; flex-wrap: wrap; align-items: flex-start; }
.rp-n__card { flex: 0 0 360px; background: #F2F3F5; border-radius: 8px; padding: 12px; }
.rp-n__card .dc-msg { margin: 0; }
.rp-n__stats { flex: 1 1 300px; min-width: 260px; }
.rp-rate { margin: 0 0 6px; }
.rp-rate strong { font-size: 22px; }
.rp-bar { display: flex; height: 14px; border-radius: 7px; overflow: hidden; background: #E5E6E8; }
.rp-seg { display: block; height: 100%; }
.rp-seg--read { background: #15BC83; }
.rp-seg--unread { background: #3296FA; }
.rp-seg--skipped { background: #C9CBCD; }
.rp-seg--unknown { background: #FFB200; }
.rp-seg--failed { background: #F54A45; }
.rp-seg--forbidden { background: #FF8A00; }
.rp-seg--invalid { background: #A8071A; }
.rp-legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: #5C5E60; }
.rp-legend b { color: #171A1D; }
.rp-dot { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px; vertical-align: -1px; }
.rp-mark--ok { color: #15BC83; }
.rp-mark--bad { color: #F54A45; }
.rp-calls { margin: 10px 0 4px; color: #5C5E60; }
.rp-callist, .rp-people { margin: 0; padding-left: 18px; font-size: 12px; }
.rp-why { color: #747677; }
.rp-nocard { color: #747677; font-size: 12px; }
.rp-chart svg { max-width: 100%; height: auto; font-size: 11px; fill: #5C5E60; }
.rp-axis { stroke: #A2A3A4; }
.rp-grid { stroke: #E5E6E8; stroke-dasharray: 3 3; }
.rp-line { fill: none; stroke: #15BC83; stroke-width: 2; }
.rp-chart circle { fill: #15BC83; }
`;
