import type { RecipientStatus, Report } from '../send/types.js';
import { BAD_STATUSES, describeDiagnostic, describeError, describeForbidden, isCallBad, plural, reportedNotifications, STATUS_ORDER, statusLabel, type ReportedNotification } from './describe.js';
import { plainText as t } from '../escape.js';
import { totalsOfStatuses } from './totals.js';

/**
 * A few plain lines for the terminal; colour is the CLI's business. `dir` is where the files were written
 * (as the user should see it); by default the project-relative `reports/<run id>`.
 */
export function formatReportSummary(report: Report, options: { dir?: string; reported?: readonly ReportedNotification[] } = {}): string {
  const totals = report.totals;
  const flags = [report.dry_run && 'dry run', report.force && 'forced', report.sandbox && 'sandbox'].filter((f): f is string => typeof f === 'string');
  const followedUp = report.followed_up !== false;
  const counts = STATUS_ORDER.filter((s) => totals[s] > 0).map((s) => `${totals[s]} ${statusLabel(s, followedUp)}`);
  const lines = [
    `dingcast run ${report.run_id}${flags.length ? ` (${flags.join(', ')})` : ''}: ${plural(totals.calls, 'call')}, ${plural(totals.recipients, 'recipient')}${counts.length ? ` (${counts.join(', ')})` : ''}`,
  ];
  for (const r of options.reported ?? reportedNotifications(report)) {
    const { n } = r;
    const bad = n.calls.filter((c) => isCallBad(r, c));
    const counts = totalsOfStatuses(n.calls.length, r.statuses);
    const byStatus = STATUS_ORDER.map((s) => [s, counts[s]] as const).filter(([, k]) => k > 0);
    const firstError = n.calls.find((c) => c.error)?.error;
    const parts = [
      plural(n.calls.length, 'call') + (bad.length ? ` (${bad.length} failing)` : ''),
      byStatus.length ? byStatus.map(([s, k]) => `${k} ${statusLabel(s, followedUp)}`).join(', ') : 'no recipients',
      ...(firstError ? [describeError(firstError)] : []),
    ];
    lines.push(`  ${bad.length ? 'FAIL' : 'ok  '} ${t(n.id)} ${t(n.template)}: ${t(parts.join('; '))}`);
    lines.push(...failingRecipients(r, followedUp));
  }
  // Left out of the run for their errors (send --all/--due): failed, though no call was made.
  for (const b of report.broken ?? []) {
    const first = b.diagnostics[0];
    lines.push(`  FAIL ${t(b.id)}: not sent: ${plural(b.diagnostics.length, 'error')}${first ? ` (${t(describeDiagnostic(first))}${b.diagnostics.length > 1 ? ', …' : ''})` : ''}`);
  }
  if (!followedUp && totals.unknown > 0) lines.push(`  not followed up (--no-wait): \`dingcast report ${t(report.run_id)} --refresh\` asks DingTalk who got and read it`);
  if (report.stopped) lines.push(`  STOPPED: ${t(report.stopped)}`);
  const dir = options.dir ?? `reports/${report.run_id}`;
  lines.push(`Reports: ${t(dir)}/report.json, report.md, report.html, junit.xml`);
  return lines.join('\n') + '\n';
}

/** Past this many, a status's recipients are counted, not named: the console stays readable at 100,000. */
const NAMED = 10;

/** Who was not reached, by status, the first ten named: the people someone has to look at. */
function failingRecipients({ statuses, reasons }: ReportedNotification, followedUp: boolean): string[] {
  const groups = new Map<RecipientStatus, string[]>();
  for (const [u, status] of statuses) {
    if (!BAD_STATUSES.has(status) || (status === 'unknown' && !followedUp)) continue;
    const list = groups.get(status);
    if (list) list.push(u);
    else groups.set(status, [u]);
  }
  return STATUS_ORDER.filter((s) => groups.has(s)).map((status) => {
    const who = groups.get(status) ?? [];
    const named = who.slice(0, NAMED).map((u) => (status === 'forbidden' && reasons[u] ? `${u} (${describeForbidden(reasons[u]).split(';')[0] ?? ''})` : u));
    return `       ${status} (${who.length}): ${t(named.join(', '))}${who.length > NAMED ? `, and ${who.length - NAMED} more (see report.md)` : ''}`;
  });
}
