import { pad, wallFields } from '../zones.js';
import type { DeliveryRecord } from './ledgerView.js';
import type { RenderedAt } from './records.js';

/** The ledger's deliveries arranged for planning: per notification and recipient, and today's by content. */
export interface DeliveryIndex {
  byNotification: Map<string, Map<string, DeliveryRecord[]>>;
  /** Today's deliveries that reached (or may have reached) their recipient, by `sha256|recipient`. */
  sameBytesToday: Map<string, DeliveryRecord>;
  /** The sha256s of sameBytesToday: content no one got today cannot be skipped as "identical content". */
  shasToday: Set<string>;
  today: DeliveryRecord[];
}

export function indexDeliveries(deliveries: readonly DeliveryRecord[], day: string): DeliveryIndex {
  const byNotification = new Map<string, Map<string, DeliveryRecord[]>>();
  const sameBytesToday = new Map<string, DeliveryRecord>();
  const shasToday = new Set<string>();
  const today: DeliveryRecord[] = [];
  for (const d of deliveries) {
    let perRecipient = byNotification.get(d.notification);
    if (!perRecipient) byNotification.set(d.notification, (perRecipient = new Map<string, DeliveryRecord[]>()));
    const list = perRecipient.get(d.recipient);
    if (list) list.push(d);
    else perRecipient.set(d.recipient, [d]);
    if (d.day !== day) continue;
    today.push(d);
    if (d.state === 'sent' || d.state === 'delivered') {
      sameBytesToday.set(`${d.sha256}|${d.recipient}`, d);
      shasToday.add(d.sha256);
    }
  }
  return { byNotification, sameBytesToday, shasToday, today };
}

export interface SendContext {
  notification: string;
  identity: string;
  occurrence: string;
  sha256: string;
  day: string;
  force: boolean;
  timezone: string;
}

/**
 * - `send`: nothing in the ledger says they have it;
 * - `again`: an earlier attempt failed or was rate-limited (DingTalk: send again);
 * - `repeat`: an earlier attempt got no answer: send its exact bytes, never a new rendering, so DingTalk's
 *   once-a-day rule drops the copy if the first one arrived;
 * - `skip`: they have it (or DingTalk will not take it today), with the reason people read in the plan.
 */
export type Decision =
  | { kind: 'send' }
  | { kind: 'again' }
  | { kind: 'repeat'; msg: string; sha256: string; run: string }
  /** A lost attempt of a sensitive message: render it again as it was (`rendered`) and send it only if its sha256 matches. */
  | { kind: 'rerender'; rendered: RenderedAt; sha256: string; run: string }
  | { kind: 'skip'; reason: string };

const SEND: Decision = { kind: 'send' };
const AGAIN: Decision = { kind: 'again' };

/**
 * True when the ledger holds nothing that could change decideRecipient's answer for any recipient of `here` (it would
 * say `send` to each): the first send of a notification to a million people then decides once, not a million times.
 */
export function sendsToEveryone(index: DeliveryIndex, here: SendContext): boolean {
  return here.force || (!index.byNotification.has(here.notification) && !index.shasToday.has(here.sha256));
}

export function decideRecipient(index: DeliveryIndex, here: SendContext, recipient: string): Decision {
  if (here.force) return SEND;
  const records = index.byNotification.get(here.notification)?.get(recipient);
  if (records === undefined && !index.shasToday.has(here.sha256)) return SEND;
  const same = (records ?? []).filter((d) => d.identity === here.identity && d.occurrence === here.occurrence);
  const served = same.find((d) => d.state === 'sent' || d.state === 'delivered');
  if (served) return { kind: 'skip', reason: `already sent in run ${served.run} at ${clock(served.at, here.timezone)} (${occurrenceLabel(here)}); nothing changed since` };
  const invalid = same.find((d) => d.state === 'invalid');
  if (invalid) return { kind: 'skip', reason: `DingTalk called this userid invalid in run ${invalid.run}; not retried (fix the recipient list)` };
  const capped = same.find((d) => d.state === 'capped' && d.day === here.day);
  if (capped) return { kind: 'skip', reason: `DingTalk's per-user daily cap was reached today (${capped.code ?? '143105'}, run ${capped.run}); sent again tomorrow` };
  // The latest unanswered attempt whose bytes we kept; legacy intents without bytes fall back to a new rendering.
  const lost = same.filter((d) => d.state === 'unknown' && (d.msg !== undefined || d.rendered !== undefined)).sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  if (lost?.msg !== undefined) return { kind: 'repeat', msg: lost.msg, sha256: lost.sha256, run: lost.run };
  if (lost?.rendered !== undefined) return { kind: 'rerender', rendered: lost.rendered, sha256: lost.sha256, run: lost.run };
  const sameBytes = index.sameBytesToday.get(`${here.sha256}|${recipient}`);
  if (sameBytes) return { kind: 'skip', reason: `identical content already delivered today (${here.day}) in run ${sameBytes.run}; DingTalk would drop it` };
  return same.some((d) => d.state === 'retry') ? AGAIN : SEND;
}

function occurrenceLabel(here: SendContext): string {
  return here.occurrence === here.day ? `today, ${here.day}` : `slot ${here.occurrence}`;
}

/** HH:MM of an ISO instant in the project's zone: "run X at 10:02". */
export function clock(iso: string, timezone: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const f = wallFields(t, timezone);
  return `${pad(f.h)}:${pad(f.mi)}`;
}
