import { DingTalkError, TransportError } from '../../errors.js';
import type { ErrClass } from './classify.js';

/** How many tries a call took, and how many of them may have reached DingTalk without us seeing the answer. */
export interface AttemptCount {
  attempts: number;
  /**
   * Attempts whose outcome is unknown (timeout, connection dropped after the request went out, 5xx from a
   * gateway). For asyncsend_v2 such an attempt may have sent the message; DingTalk's once-a-day rule drops an
   * identical resend, but the report should say so.
   */
  unknownOutcomes: number;
}

/** DingTalk answered errcode != 0 and the client gave up (or was told not to retry). */
export class DingTalkCallError extends DingTalkError implements AttemptCount {
  constructor(
    endpoint: string,
    errcode: number,
    errmsg: string,
    subCode: string | undefined,
    readonly errClass: ErrClass,
    readonly attempts: number,
    readonly unknownOutcomes: number,
    readonly requestId?: string,
  ) {
    super(endpoint, errcode, errmsg, subCode);
  }
}

/**
 * Why no DingTalk answer arrived. `connect`: the request never left (safe to resend); `ip-ban`: DingTalk's
 * per-IP ban page (HTML or `status:1111`), the request was refused; the others leave the outcome unknown.
 */
export type TransportKind = 'connect' | 'network' | 'timeout' | 'http-status' | 'not-json' | 'ip-ban' | 'closed';

export interface TransportDetails {
  kind: TransportKind;
  status?: number;
  code?: string;
  retryable: boolean;
}

export class DingTalkTransportError extends TransportError implements AttemptCount {
  readonly kind: TransportKind;
  readonly code?: string;
  readonly retryable: boolean;

  constructor(
    endpoint: string,
    detail: string,
    details: TransportDetails,
    readonly attempts = 1,
    readonly unknownOutcomes = 0,
  ) {
    super(endpoint, detail, details.status);
    this.kind = details.kind;
    this.code = details.code;
    this.retryable = details.retryable;
  }

  /** Whether this one attempt may have been acted on by DingTalk. */
  get outcomeUnknown(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'http-status';
  }

  /** The same failure, stamped with the totals of the whole call. */
  withCount(count: AttemptCount): DingTalkTransportError {
    const detail = this.message.slice(this.endpoint.length + 2);
    const details = { kind: this.kind, status: this.status, code: this.code, retryable: this.retryable };
    return new DingTalkTransportError(this.endpoint, detail, details, count.attempts, count.unknownOutcomes);
  }
}
