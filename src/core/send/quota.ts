import { dayIn } from './day.js';
import type { CallsBy, CallsEntry, LedgerRecord } from './records.js';
import type { Plan } from './types.js';

/**
 * The monthly API quota (issue 16 item 10, design.md §9). A standard-edition organisation has 5000 metered calls a
 * month (dingtalk-api.md §3; work-notification APIs are metered, tokens and contacts are not); once used up DingTalk
 * answers 90020. The state counts the metered calls dingcast made per app per month (`calls` records), so a plan
 * can say what a run costs and what is left, and refuse a run that would go over `app.monthly_call_quota`.
 *
 * The count is a floor: other apps and tools of the organisation draw on the same quota, and a call whose answer
 * was lost still counts. DingTalk's 90020 is the truth, and the state remembers it for the rest of the month.
 */

/** DingTalk counts calendar months in China time (documented nowhere else; its console shows Beijing dates). */
export const QUOTA_TIME_ZONE = 'Asia/Shanghai';

/** The errcode of an exhausted monthly quota (new API: Forbidden.AccessDenied.ApiCountLimitForOrg). */
export const QUOTA_EXHAUSTED = 90020;

export interface Quota {
  /** YYYY-MM in China time. */
  month: string;
  /** `app.monthly_call_quota`, when the project sets one. */
  limit?: number;
  /** Metered calls the state recorded for this app this month, before this run. */
  used: number;
  /** What this run is expected to cost (sends, follow-ups, uploads). */
  cost: number;
  /** limit − used, never below 0. */
  left?: number;
  /** A run that met 90020 this month (DingTalk said the quota is gone, whatever the count says). */
  exhausted_by?: string;
}

export function quotaMonth(now: Date): string {
  return dayIn(now, QUOTA_TIME_ZONE).slice(0, 7);
}

/** The calls record one run (or recall, refresh…) writes once its calls are made. */
export function callsEntry(run: string, app: string, now: Date, count: number, exhausted: boolean, by?: CallsBy): CallsEntry {
  return { type: 'calls', run, app, month: quotaMonth(now), count, ...(exhausted ? { exhausted: true as const } : {}), ...(by !== undefined ? { by } : {}) };
}

/** This month's count for `app` from the ledger's records, with this run's cost and the project's limit. */
export function quotaOf(records: readonly LedgerRecord[], app: string, now: Date, cost: number, limit: number | undefined): Quota {
  const month = quotaMonth(now);
  let used = 0;
  let exhaustedBy: string | undefined;
  for (const r of records) {
    if (r.type !== 'calls' || r.app !== app || r.month !== month) continue;
    if (Number.isFinite(r.count) && r.count > 0) used += r.count;
    if (r.exhausted) exhaustedBy = r.run;
  }
  const q: Quota = { month, used, cost };
  if (limit !== undefined) {
    q.limit = limit;
    q.left = Math.max(0, limit - used);
  }
  if (exhaustedBy !== undefined) q.exhausted_by = exhaustedBy;
  return q;
}

/** Sends, media uploads and, unless `--no-wait`, one follow-up per call (a slow task may take more). */
export function runCost(plan: Plan, wait: boolean): number {
  return plan.api_calls.send + (plan.api_calls.upload ?? 0) + (wait ? plan.api_calls.follow_up : 0);
}

/** Why this run must not go (without --over-quota), or undefined. Only a project with a limit refuses. */
export function overQuota(q: Quota): string | undefined {
  if (q.limit === undefined || q.cost === 0) return undefined;
  if (q.exhausted_by !== undefined) return `DingTalk said the monthly API quota is used up (90020, run ${q.exhausted_by}) in ${q.month}`;
  if (q.used + q.cost > q.limit) return `this run needs ~${q.cost} API calls but only ${q.left ?? 0} of this month's ${q.limit} are left (${q.used} used in ${q.month})`;
  return undefined;
}

/** The plan's quota line: "API quota 2026-12: this run ~24 calls; 310 of 5000 used, 4690 left (4666 after it)". */
export function quotaLine(q: Quota): string {
  const run = `this run ~${q.cost} call${q.cost === 1 ? '' : 's'}`;
  const gone = q.exhausted_by !== undefined ? ` — DingTalk answered 90020 (quota used up) in run ${q.exhausted_by}` : '';
  if (q.limit === undefined) return `API quota ${q.month}: ${run}; ${q.used} recorded this month (set app.monthly_call_quota to be stopped before going over)${gone}`;
  const after = (q.left ?? 0) - q.cost;
  return `API quota ${q.month}: ${run}; ${q.used} of ${q.limit} used, ${q.left ?? 0} left (${after < 0 ? `${-after} over` : `${after} after it`})${gone}`;
}
