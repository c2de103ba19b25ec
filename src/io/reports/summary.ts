import type { Report } from '../../core/send/types.js';
import { describeError, isCallBad, plural, STATUS_ORDER } from './_describe.js';
import { plainText as t } from './_escape.js';
import { effectiveStatuses } from './totals.js';

/**
 * A few plain lines for the terminal; colour is the CLI's business. `dir` is where the files were written
 * (as the user should see it); by default the project-relative `reports/<run id>`.
 */
export function formatReportSummary(report: Report, options: { dir?: string } = {}): string {
  const totals = report.totals;
  const flags = [report.dry_run && 'dry run', report.force && 'forced', report.sandbox && 'sandbox'].filter((f): f is string => typeof f === 'string');
  const counts = STATUS_ORDER.filter((s) => totals[s] > 0).map((s) => `${totals[s]} ${s}`);
  const lines = [
    `dingcast run ${report.run_id}${flags.length ? ` (${flags.join(', ')})` : ''}: ${plural(totals.calls, 'call')}, ${plural(totals.recipients, 'recipient')}${counts.length ? ` (${counts.join(', ')})` : ''}`,
  ];
  for (const n of report.notifications) {
    const bad = n.calls.filter((c) => isCallBad(n, c));
    const statuses = Object.values(effectiveStatuses(n));
    const byStatus = STATUS_ORDER.map((s) => [s, statuses.filter((v) => v === s).length] as const).filter(([, k]) => k > 0);
    const firstError = n.calls.find((c) => c.error)?.error;
    const parts = [
      plural(n.calls.length, 'call') + (bad.length ? ` (${bad.length} failing)` : ''),
      byStatus.length ? byStatus.map(([s, k]) => `${k} ${s}`).join(', ') : 'no recipients',
      ...(firstError ? [describeError(firstError)] : []),
    ];
    lines.push(`  ${bad.length ? 'FAIL' : 'ok  '} ${t(n.id)} ${t(n.template)}: ${t(parts.join('; '))}`);
  }
  const dir = options.dir ?? `reports/${report.run_id}`;
  lines.push(`Reports: ${t(dir)}/report.json, report.md, junit.xml`);
  return lines.join('\n') + '\n';
}
