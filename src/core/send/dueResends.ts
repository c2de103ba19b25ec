import type { DeliveryRecord } from './ledgerView.js';

/**
 * Attempts per recipient and slot after which `send --due` stops re-sending on its own. A cron tick every few
 * minutes must not retry, forever and at a metered call each time, a userid that DingTalk fails every time;
 * `send ID` still sends to them by hand.
 */
export const MAX_DUE_ATTEMPTS = 4;

export interface DueResend {
  notification: string;
  /** The slot that fired and is still the notification's latest. */
  slot: string;
  /** `user:<id>`, `dept:<id>` or `all`: DingTalk failed them, rate-limited them, or the answer was lost. */
  recipients: string[];
  /** Recipients given up on after MAX_DUE_ATTEMPTS attempts. */
  gaveUp: string[];
}

/**
 * The recipients of each notification's latest fired slot that a later `send --due` owes a message: a slot fires
 * once its calls were made, whatever DingTalk answered (design.md §6: failed and per-minute-forbidden recipients
 * are sent again; a lost answer is re-sent with its exact bytes). Anyone who has it, or whom DingTalk called
 * invalid, is done; a daily-capped one waits for the next day. Only the latest slot: a newer one supersedes it.
 */
export function dueResends(deliveries: readonly DeliveryRecord[], lastFired: ReadonlyMap<string, string>, day: string): DueResend[] {
  const bySlot = new Map<string, Map<string, DeliveryRecord[]>>();
  for (const d of deliveries) {
    if (d.occurrence === undefined || lastFired.get(d.notification) !== d.occurrence) continue;
    let perRecipient = bySlot.get(d.notification);
    if (!perRecipient) bySlot.set(d.notification, (perRecipient = new Map<string, DeliveryRecord[]>()));
    const list = perRecipient.get(d.recipient);
    if (list) list.push(d);
    else perRecipient.set(d.recipient, [d]);
  }
  const out: DueResend[] = [];
  for (const [notification, perRecipient] of bySlot) {
    const recipients: string[] = [];
    const gaveUp: string[] = [];
    for (const [recipient, attempts] of perRecipient) {
      if (attempts.some((d) => d.state === 'sent' || d.state === 'delivered' || d.state === 'invalid')) continue;
      if (attempts.some((d) => d.state === 'capped' && d.day === day)) continue;
      if (attempts.length >= MAX_DUE_ATTEMPTS) gaveUp.push(recipient);
      else recipients.push(recipient);
    }
    if (recipients.length > 0 || gaveUp.length > 0) out.push({ notification, slot: lastFired.get(notification) as string, recipients, gaveUp });
  }
  return out;
}
