import { createHash } from 'node:crypto';
import type { CallRecipients } from '../chunk.js';

/** Stable idempotency key of a call: notification, content hash, day and the call's recipients. */
export function callKey(notification: string, sha256: string, day: string, c: CallRecipients): string {
  return createHash('sha256').update(`${notification}|${sha256}|${day}|${JSON.stringify(c)}`).digest('hex').slice(0, 32);
}
