import type { Report, RecipientStatus } from '../send/types.js';

/** Statuses that make a call (and the run's exit code) fail. */
export const BAD_STATUSES: ReadonlySet<RecipientStatus> = new Set(['failed', 'forbidden', 'invalid', 'unknown']);

export interface Verdict {
  /** 0 every call accepted and every recipient reached or rightly skipped; 1 some recipient or call failed; 2 the run stopped before doing its job. */
  code: 0 | 1 | 2;
  /** Why, in words: empty for 0. */
  reasons: string[];
}

/**
 * The one verdict on a run: `send`'s exit code, `report`'s, and what every printer says. Unknown recipients
 * count as failed unless the run chose not to follow up (`--no-wait`): then they are only not known yet.
 */
export function verdictOf(report: Report): Verdict {
  const reasons: string[] = [];
  if (report.stopped !== undefined) return { code: 2, reasons: [`the run stopped early: ${report.stopped}`] };
  const t = report.totals;
  const refused = report.notifications.reduce((s, n) => s + n.calls.filter((c) => c.state === 'failed').length, 0);
  const lost = report.notifications.reduce((s, n) => s + n.calls.filter((c) => c.state === 'unknown' && c.error !== undefined).length, 0);
  if (refused > 0) reasons.push(`${refused} call(s) refused by DingTalk`);
  if (lost > 0) reasons.push(`${lost} call(s) without an answer`);
  for (const s of ['failed', 'forbidden', 'invalid'] as const) if (t[s] > 0) reasons.push(`${t[s]} recipient(s) ${s}`);
  const broken = report.broken?.length ?? 0;
  if (broken > 0) reasons.push(`${broken} notification(s) not sent for their errors`);
  if (report.followed_up !== false && t.unknown > 0) reasons.push(`${t.unknown} recipient(s) with no result`);
  return { code: reasons.length > 0 ? 1 : 0, reasons };
}
