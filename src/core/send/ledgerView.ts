/**
 * What planning needs to know from the ledger, as plain data: which recipients already got which content on
 * which day. The I/O edge builds it from `.dingcast/ledger.jsonl`; the plan never reads files.
 */
export interface DeliveryRecord {
  run: string;
  notification: string;
  sha256: string;
  day: string;
  /** `user:<id>`, `dept:<id>` or `all`. */
  recipient: string;
  /** `sent`: DingTalk accepted it; `unknown`: the run died between intent and answer. */
  state: 'sent' | 'unknown';
  task_id?: number;
}

export interface LedgerView {
  deliveries: DeliveryRecord[];
}

export function recipientKeys(call: { userids?: string[]; deptIds?: (string | number)[]; toAll?: true }): string[] {
  if (call.toAll) return ['all'];
  return [...(call.userids ?? []).map((u) => `user:${u}`), ...(call.deptIds ?? []).map((d) => `dept:${d}`)];
}
