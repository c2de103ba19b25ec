import type { CallReport, Plan, ReadPoint, Report } from '../send/types.js';
import { notificationReport } from './notification.js';
import { computeTotals } from './totals.js';

export interface RunFacts {
  started_at: string;
  finished_at: string;
  endpoint: string;
  agent_id: number | string | undefined;
  sandbox: boolean;
  /** False for `send --no-wait`: nobody asked DingTalk for results yet. */
  followed_up: boolean;
  /** API requests made (sends, follow-up). */
  api_calls: number;
  /** Why the run stopped before finishing its plan (a signal, a ledger that could not record). */
  stopped?: string;
}

/** Assemble a run's report from its plan and what each call did: a value the writers and the verdict read. */
export function buildReport(plan: Plan, calls: ReadonlyMap<string, CallReport>, facts: RunFacts): Report {
  const notifications = plan.notifications.map((n) => {
    const made: CallReport[] = [];
    const skipped = [...n.skipped];
    for (const c of n.calls) {
      const report = calls.get(c.key);
      if (report) made.push(report);
      // A call never made delivered nothing: its recipients are listed as skipped, with why.
      else for (const r of recipientIds(c.recipients)) skipped.push({ userid: r, reason: `not sent: ${facts.stopped ?? 'the run stopped'} before this call` });
    }
    return notificationReport({ ...n, skipped }, made);
  });
  const report: Report = {
    format: 'dingcast.report/v1',
    run_id: plan.run_id,
    started_at: facts.started_at,
    finished_at: facts.finished_at,
    timezone: plan.timezone,
    endpoint: facts.endpoint,
    agent_id: facts.agent_id,
    dry_run: false,
    force: plan.force,
    sandbox: facts.sandbox,
    followed_up: facts.followed_up,
    notifications,
    totals: computeTotals(notifications),
    api_calls: facts.api_calls,
  };
  if (facts.stopped !== undefined) report.stopped = facts.stopped;
  if (facts.followed_up) report.read_history = [readPoint(report, facts.finished_at)];
  return report;
}

/** How many had read and not yet read at `at`: one point of report.html's reads-over-time chart. */
export function readPoint(report: Pick<Report, 'totals'>, at: string): ReadPoint {
  return { at, read: report.totals.read, unread: report.totals.unread };
}

function recipientIds(r: CallReport['recipients']): string[] {
  if (r.toAll) return ['all'];
  return [...(r.userids ?? []), ...(r.deptIds ?? []).map((d) => `dept:${d}`)];
}
