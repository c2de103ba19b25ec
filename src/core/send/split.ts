import { createHash } from 'node:crypto';
import type { CallRecipients } from '../chunk.js';
import { callReach } from './reach.js';
import type { PlannedCall } from './types.js';

/**
 * DingTalk's "too many recipients" answers (dingtalk-api.md, decisions at the top and §4): 40032 "bad list
 * length" (more userids or dept ids than a call takes) and 41029 "too many recipients" (5000 / ISV 1000). The call
 * was refused as a whole, nothing was delivered, so the same recipients are sent again in smaller calls.
 */
export const TOO_MANY_RECIPIENTS: ReadonlySet<number> = new Set([40032, 41029]);

/**
 * The two halves of a refused call, or undefined when it cannot be made smaller (one recipient, or to_all_user).
 * Each list is cut in the middle; the first half of every list goes to the first call. A half keeps the exact
 * bytes of its parent (`msg`) and gets a key of its own derived from the parent's, so the ledger records each
 * half's intent and answer separately and a later run sees every recipient exactly once. `sizes` (the
 * notification's department sizes) give each half its own reach.
 */
export function splitCall(call: PlannedCall, sizes?: Readonly<Record<string, number>>): PlannedCall[] | undefined {
  const r = call.recipients;
  if (r.toAll) return undefined;
  const users = r.userids ?? [];
  const depts = r.deptIds ?? [];
  if (users.length + depts.length < 2) return undefined;
  // Cut the longer list in the middle; a one-element list stays with the first half.
  const [u1, u2] = halves(users);
  const [d1, d2] = halves(depts);
  const parts = [recipients(u1, d1), recipients(u2, d2)].filter((p): p is CallRecipients => p !== undefined);
  // Both lists of one element each: cut between them instead.
  const split = parts.length === 2 ? parts : [recipients(users, []), recipients([], depts)].filter((p): p is CallRecipients => p !== undefined);
  return split.map((part) => {
    // Everything but the key and recipients is the parent's: its bytes, and an each: call's identity and sensitivity.
    const { reach: _parents, ...rest } = call;
    const half: PlannedCall = { ...rest, key: childKey(call.key, part), recipients: part };
    // A half reaches its own departments' people, not its parent's (the pacing counts them).
    const reach = part.deptIds ? callReach(part, sizes) : undefined;
    if (reach !== undefined) half.reach = reach;
    return half;
  });
}

function halves<T>(list: readonly T[]): [T[], T[]] {
  const mid = Math.ceil(list.length / 2);
  return [list.slice(0, mid), list.slice(mid)];
}

function recipients(users: string[], depts: (string | number)[]): CallRecipients | undefined {
  if (users.length + depts.length === 0) return undefined;
  const out: CallRecipients = {};
  if (users.length > 0) out.userids = users;
  if (depts.length > 0) out.deptIds = depts;
  return out;
}

function childKey(parent: string, part: CallRecipients): string {
  return createHash('sha256').update(`${parent}|split|${JSON.stringify(part)}`).digest('hex').slice(0, 32);
}

/** A plan's calls with every split call replaced by the calls it was split into (recursively): what was made. */
export function expandSplits(calls: readonly PlannedCall[], splits: ReadonlyMap<string, PlannedCall[]>): PlannedCall[] {
  return calls.flatMap((c) => {
    const parts = splits.get(c.key);
    return parts ? expandSplits(parts, splits) : [c];
  });
}
