import type { TransportKind } from './errors.js';
import type { TokenReason } from './token.js';
import type { IsvCredentials } from './isv.js';
import type { MediaUpload } from './media.js';

export interface ClientOptions {
  /** DINGTALK_BASE_URL, e.g. https://oapi.dingtalk.com or a sandbox's http://127.0.0.1:8787. */
  baseUrl: string;
  /** An internal app's key and secret (gettoken). Empty for an ISV app, which gives `isv` instead. */
  appKey: string;
  appSecret: string;
  /** An ISV (third-party) app: the corp token comes from get_corp_token with these, not from gettoken. */
  isv?: IsvCredentials;
  agentId: number;
  /** Calls per second per API path (DingTalk: 20 per app per API → 90018). Default 20; 0 = unlimited. */
  callsPerSecond?: number;
  /** Requests in flight over all APIs. Default 8. */
  concurrency?: number;
  /** Per request (connect + answer). Default 10 000. */
  timeoutMs?: number;
  /** Tries per call, the first one included. Default 5. */
  maxAttempts?: number;
  /** Backoff base: the n-th retry waits uniform(0, min(retryMaxMs, retryBaseMs·2^(n-1))). Default 500. */
  retryBaseMs?: number;
  /** Backoff ceiling. Default 30 000. */
  retryMaxMs?: number;
  /** Least wait after a throttle code (90018, 90002, 9000x). Default 1000, as DingTalk asks. */
  throttleWaitMs?: number;
  /** Least wait after a per-minute cap (41047, 41048, 14310x). Default 60 000. */
  minuteWaitMs?: number;
  /** After DingTalk's per-IP ban (status 1111 or an HTML page), wait this long and try once more; 0 = stop at once. Default 5 min. */
  ipBanWaitMs?: number;
  /** People an app's messages may reach per minute; sends are paced to it (beyond it DingTalk answers ok and delivers nothing). Default 5000; 0 = off. */
  recipientsPerMinute?: number;
  /** The pacing window; 60 000 (a minute) unless a benchmark scales time. */
  recipientsWindowMs?: number;
  /** The pacing's clock and wait (default performance.now and a timer): a test moves the window by hand instead of waiting a minute. */
  paceClock?: { now: () => number; sleep: (ms: number) => Promise<void> };
  /** Refresh the token this long before it expires (at most half its life). Default 5 min. */
  tokenRefreshMarginMs?: number;
  /** Clock for token expiry (tests move a sandbox clock). Default Date.now. */
  now?: () => number;
  /** Random source for jitter, [0, 1). Default Math.random. */
  random?: () => number;
  /** Retries, token refreshes, throttling — for logs and progress. Never carries the token or the secret. */
  onEvent?: (e: ClientEvent) => void;
}

export type ClientEvent =
  | {
      type: 'retry';
      endpoint: string;
      /** The attempt that failed (1 = first try). */
      attempt: number;
      delayMs: number;
      errcode?: number;
      errmsg?: string;
      transport?: TransportKind;
      detail?: string;
      /** The failed attempt may have been acted on (timeout, dropped connection, 5xx). */
      outcomeUnknown: boolean;
    }
  | { type: 'throttled'; endpoint: string; attempt: number; delayMs: number; errcode: number; errmsg: string; outcomeUnknown: false }
  | { type: 'token-rejected'; endpoint: string; errcode: number; errmsg: string }
  | { type: 'token-refresh'; reason: TokenReason };

// The result lists have one definition, next to the report that carries them.
import type { SendResultLists } from '../../core/send/types.js';
export type { SendResultLists };
export type ForbiddenEntry = SendResultLists['forbidden_list'][number];

export interface SendRequest {
  userids?: string[];
  deptIds?: (string | number)[];
  toAll?: boolean;
  /** People this send reaches, when known (department sizes from a directory); paces the 5000-a-minute cap. */
  recipients?: number;
  /** A DingTalk `msg` object, sent as is. */
  msg: object;
}

/** sendbytemplate (ISV apps): a template reviewed in DingTalk's console, filled with `data` (string values). */
export interface TemplateSendRequest {
  userids?: string[];
  deptIds?: (string | number)[];
  /** People this send reaches, when known; paces the 5000-a-minute cap. */
  recipients?: number;
  templateId: string;
  data: Record<string, string>;
}

export interface SendOutcome {
  taskId: number;
  /** Tries it took, the first included. */
  attempts: number;
  /** Earlier tries whose outcome is unknown: DingTalk may have sent this message more than once (it drops same-day duplicates). */
  unknownOutcomes: number;
}

export interface SendProgress {
  /** 0..100 */
  percent: number;
  /** 0 not started, 1 processing, 2 done. */
  status: 0 | 1 | 2;
}

export interface DingTalkClient {
  sendMessage(req: SendRequest): Promise<SendOutcome>;
  /** sendbytemplate: ISV apps created after 2020-11-27 must send this way. */
  sendByTemplate(req: TemplateSendRequest): Promise<SendOutcome>;
  /** getsendprogress, and the tries it took (each is metered, like a send's). */
  getSendProgress(taskId: number): Promise<{ progress: SendProgress; attempts: number }>;
  /** getsendresult, and the tries it took (each is metered). */
  getSendResult(taskId: number): Promise<{ result: SendResultLists; attempts: number }>;
  /** media/upload: the file's media_id (reusable; DingTalk documents no expiry), and the tries it took (each is metered, like a send's). */
  uploadMedia(up: MediaUpload): Promise<{ mediaId: string; attempts: number }>;
  /** Fetch (or reuse) the access token: fails fast on a wrong app key/secret or an unreachable endpoint. */
  checkCredentials(): Promise<void>;
  /** Within 24 h of the send. */
  recall(taskId: number): Promise<{ attempts: number }>;
  /** OA messages with a status bar, within 7 days. */
  updateStatusBar(taskId: number, statusValue: string, statusBg?: string): Promise<{ attempts: number }>;
  /** A contacts API (`/topapi/v2/user/list`, `/topapi/v2/user/getbymobile`…; not metered): the answer's envelope. */
  callContacts(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /**
   * The credential values this client holds or was handed (app secret, suite secret and ticket, every access token
   * fetched): what a report or a log must never contain. Empty values are left out.
   */
  credentialValues(): string[];
  /** Closes the keep-alive connections; pending and later calls fail with a 'closed' transport error. */
  close(): Promise<void>;
}
