import type { BrokenNotification, CallReport, Report, Totals } from '../send/types.js';
import {
  describeCallRecipients,
  describeDiagnostic,
  describeError,
  describeForbidden,
  groupByStatus,
  isCallBad,
  reportedNotifications,
  statusLabel,
  type ReportedNotification,
} from './describe.js';
import { totalsOfStatuses } from './totals.js';
import { readableTime } from '../time.js';
import { escapeMarkdown as md } from '../escape.js';

/** Past this many userids per status the list is cut: a CI job summary must stay readable (and under 1 MiB). */
const MAX_LISTED = 100;

const TOTAL_COLUMNS: (keyof Totals)[] = ['calls', 'recipients', 'read', 'unread', 'failed', 'forbidden', 'invalid', 'skipped', 'unknown'];

/** report.md: fit to paste into a pull request or to append to $GITHUB_STEP_SUMMARY. */
export function formatReportMarkdown(report: Report, reported: readonly ReportedNotification[] = reportedNotifications(report)): string {
  const followedUp = report.followed_up !== false;
  const lines: string[] = [`## dingcast run ${md(report.run_id)}`, '', ...formatRunFacts(report), '', ...formatTotals(report.totals, followedUp)];
  if (report.notifications.length === 0) lines.push('', '_No notifications in this run._');
  if (report.notifications.length > 1) lines.push('', ...formatOverview(reported, followedUp));
  for (const b of report.broken ?? []) lines.push('', ...formatBroken(b));
  for (const r of reported) lines.push('', ...formatNotification(r, followedUp));
  return lines.join('\n') + '\n';
}

function formatRunFacts(r: Report): string[] {
  const flags = [r.dry_run && '**dry run** (nothing was sent)', r.force && '**forced** (ledger ignored)', r.sandbox && 'sandbox'].filter(
    (f): f is string => typeof f === 'string',
  );
  const facts = [
    `- Started ${md(readableTime(r.started_at, r.timezone))}, finished ${md(readableTime(r.finished_at, r.timezone))}`,
    `- Endpoint ${md(r.endpoint)}, agent id ${r.agent_id === undefined ? '_none_' : md(String(r.agent_id))}, ${r.api_calls} API calls`,
  ];
  if (flags.length) facts.push(`- ${flags.join(', ')}`);
  if (r.followed_up === false) facts.push(`- **Not followed up** (\`send --no-wait\`): \`dingcast report ${md(r.run_id)} --refresh\` asks DingTalk who got and read it`);
  if (r.stopped !== undefined) facts.push(`- **Stopped early**: ${md(r.stopped)}`);
  return facts;
}

function formatTotals(t: Totals, followedUp: boolean): string[] {
  const head = TOTAL_COLUMNS.map((k) => statusLabel(k, followedUp));
  return [`| ${head.join(' | ')} | read rate |`, `|${TOTAL_COLUMNS.map(() => '---:').join('|')}|---:|`, `| ${TOTAL_COLUMNS.map((k) => t[k]).join(' | ')} | ${readRate(t, followedUp)} |`];
}

/**
 * Read rate as report.html shows it: read of those DingTalk reached (read + unread), so people it never reached
 * (failed, skipped) do not lower it. "—" when nobody was reached or nobody asked DingTalk yet.
 */
function readRate(t: Pick<Totals, 'read' | 'unread'>, followedUp: boolean): string {
  const reached = t.read + t.unread;
  if (!followedUp && reached === 0) return 'not followed up';
  if (reached === 0) return '—';
  return `${Math.round((t.read / reached) * 100)}% (${t.read} of ${reached})`;
}

/** One row per notification, so a run of many reads at a glance: who was reached and who read it. */
function formatOverview(reported: readonly ReportedNotification[], followedUp: boolean): string[] {
  const rows = reported.map((r) => {
    const { n } = r;
    const t = totalsOfStatuses(n.calls.length, r.statuses);
    const bad = n.calls.some((c) => isCallBad(r, c));
    return `| ${bad ? '❌' : '✅'} ${md(n.id)} | ${t.calls} | ${t.recipients} | ${t.read} | ${t.unread} | ${t.failed + t.forbidden + t.invalid} | ${readRate(t, followedUp)} |`;
  });
  return ['| notification | calls | recipients | read | unread | not reached | read rate |', '|---|---:|---:|---:|---:|---:|---:|', ...rows];
}

/** A notification left out for its errors (send --all/--due): failed, with each error and its fix. */
function formatBroken(b: BrokenNotification): string[] {
  const n = b.diagnostics.length;
  return [
    `### ❌ ${md(b.id)}: not sent (${n} error${n === 1 ? '' : 's'})`,
    '',
    'Left out of this run because of its errors; the other notifications went ahead. Fix them (`dingcast validate`) and send again.',
    '',
    ...b.diagnostics.map((d) => `- ${md(describeDiagnostic(d))}${d.hint ? ` (hint: ${md(d.hint)})` : ''}`),
  ];
}

function formatNotification(r: ReportedNotification, followedUp: boolean): string[] {
  const { n } = r;
  const bad = n.calls.some((c) => isCallBad(r, c));
  const lines = [
    `### ${bad ? '❌' : '✅'} ${md(n.id)}`,
    '',
    `Template **${md(n.template)}**, ${n.bytes} bytes, sha256 \`${n.sha256.slice(0, 12)}\`${n.slot ? `, slot ${md(n.slot)}` : ''}`,
  ];
  // Unread reminders (remind:): this one's origin, or the reminders later runs sent for it.
  if (n.reminder) lines.push('', `Unread reminder of ${md(n.reminder.notification)} in run ${md(n.reminder.run)}: ${n.reminder.unread} unread, ${n.reminder.read} read when it came due`);
  for (const s of n.reminders ?? []) lines.push('', `Reminder: reminded ${s.unread.length} unread in run ${md(s.run)} (${md(s.template)}; ${s.read.length} had read)`);
  if (n.calls.length) {
    lines.push('', '| call | recipients | task id | state | progress | error |', '|---:|---|---|---|---|---|');
    lines.push(...formatCallRows(n.calls));
  }
  const groups = groupByStatus(r);
  if (groups.length) {
    const reasons = r.reasons;
    const skipped = new Map(n.skipped.map((s) => [s.userid, s.reason]));
    lines.push('', '**Recipients**', '');
    for (const [status, users] of groups) {
      const shown = users.slice(0, MAX_LISTED).map((u) => {
        const why = status === 'forbidden' ? reasons[u] && describeForbidden(reasons[u]) : status === 'skipped' ? skipped.get(u) : undefined;
        return why ? `${md(u)} (${md(why)})` : md(u);
      });
      const more = users.length > MAX_LISTED ? `, … and ${users.length - MAX_LISTED} more (see report.json)` : '';
      lines.push(`- ${statusLabel(status, followedUp)} (${users.length}): ${shown.join(', ')}${more}`);
    }
  }
  return lines;
}

/** One row per run of identical consecutive calls (same recipients count, state, progress, error): 1,000 calls of a clean send are one line. */
function formatCallRows(calls: CallReport[]): string[] {
  const rows: { from: number; to: number; tasks: number[]; rest: CallRow }[] = [];
  for (const c of calls) {
    const rest = callRow(c);
    const last = rows[rows.length - 1];
    if (last && last.rest.key === rest.key) {
      last.to = c.index;
      if (c.task_id !== undefined) last.tasks.push(c.task_id);
    } else rows.push({ from: c.index, to: c.index, tasks: c.task_id === undefined ? [] : [c.task_id], rest });
  }
  return rows.map((r) => {
    const tasks = r.tasks.length === 0 ? '—' : r.tasks.length === 1 ? String(r.tasks[0]) : `${r.tasks.length} tasks (${r.tasks[0]} … ${r.tasks[r.tasks.length - 1]})`;
    const calls = r.from === r.to ? `${r.from + 1}` : `${r.from + 1}–${r.to + 1}`;
    return `| ${calls} | ${r.rest.recipients} | ${tasks}${r.rest.later} | ${r.rest.state} | ${r.rest.progress} | ${r.rest.error} |`;
  });
}

interface CallRow {
  key: string;
  recipients: string;
  later: string;
  state: string;
  progress: string;
  error: string;
}

function callRow(c: CallReport): CallRow {
  const progress = c.progress ? `${c.progress.percent}% ${['not started', 'running', 'done'][c.progress.status]}` : '—';
  const error = c.error ? md(describeError(c.error)) : c.state === 'unknown' ? 'outcome unknown: the run stopped before DingTalk answered' : '—';
  const invalidDepts = c.result?.invalid_dept_id_list.length ? ` (invalid departments: ${md(c.result.invalid_dept_id_list.join(', '))})` : '';
  const laterParts = [c.recalled_at ? `recalled ${md(c.recalled_at)}` : '', c.status_bar ? `status bar “${md(c.status_bar.status_value)}” ${md(c.status_bar.updated_at)}` : ''].filter(Boolean).join('; ');
  const row = { recipients: `${describeCallRecipients(c)}${invalidDepts}`, later: laterParts ? ` (${laterParts})` : '', state: c.state, progress, error };
  // Calls that were recalled or had their status bar set keep their own row, with their task id.
  return { ...row, key: laterParts ? `${c.index}` : JSON.stringify(row) };
}
