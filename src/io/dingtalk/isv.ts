import { createHmac } from 'node:crypto';

/** What an ISV (third-party) app authenticates with: its suite's key and secret, the suite ticket DingTalk pushes, and the customer's corp id. */
export interface IsvCredentials {
  suiteKey: string;
  suiteSecret: string;
  suiteTicket: string;
  corpId: string;
}

/**
 * get_corp_token's signature [D ISVTOKEN; dingtalk-api.md, top]: base64 of HMAC-SHA256 over
 * `timestamp + "\n" + suiteTicket`, keyed with the suite secret. `timestamp` is milliseconds, as sent.
 * (URLSearchParams percent-encodes the base64's `+`, `/` and `=` in the query.)
 */
export function corpTokenSignature(timestamp: string, suiteTicket: string, suiteSecret: string): string {
  return createHmac('sha256', suiteSecret).update(`${timestamp}\n${suiteTicket}`).digest('base64');
}
