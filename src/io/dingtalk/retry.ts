import type { FormData } from 'undici';
import { classifyErrcode, isPerMinuteErrcode, isThrottleErrcode, type ErrClass } from './classify.js';
import { DingTalkCallError, DingTalkTransportError } from './errors.js';
import type { Gate } from './gate.js';
import { callOnce, type Envelope, type HttpContext } from './http.js';
import { scrubSecrets } from './redact.js';
import type { TokenSource } from './token.js';
import type { ClientEvent } from './types.js';

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Floor for throttle codes (90018 "sleep 1 s and retry", 90002…). */
  throttleWaitMs: number;
  /** Floor for per-minute caps (41047/41048, 14310x). */
  minuteWaitMs: number;
  /** Wait after DingTalk's per-IP ban (status 1111 / an HTML page; it lasts 5 min [LIMITS]) before one more try; 0 = stop at once. */
  ipBanWaitMs: number;
  random: () => number;
}

/** errcode -1 (system busy): "retry at most 3 times" [ERRORS] — tries, the first included. */
const BUSY_MAX_ATTEMPTS = 3;

export interface CallDeps {
  http: HttpContext;
  gate: Gate;
  policy: RetryPolicy;
  emit: (e: ClientEvent) => void;
  signal: AbortSignal;
}

export interface CallSpec {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  /** JSON, or a multipart form (media/upload). */
  body?: object | FormData;
  /** Token source for authenticated calls; gettoken itself has none. */
  tokens?: TokenSource;
}

export interface CallOutcome {
  env: Envelope;
  attempts: number;
  unknownOutcomes: number;
}

const TOKEN_CODES = new Set(['33001', '40001', '40014', '42001']);

/** Runs one API call to completion: rate gate, token, retries with full-jitter backoff, token refresh once. */
export async function callWithRetry(deps: CallDeps, spec: CallSpec): Promise<CallOutcome> {
  const { policy, emit } = deps;
  let attempts = 0;
  let unknownOutcomes = 0;
  let backoffs = 0;
  let refreshed = false;
  let banned = false;
  for (;;) {
    if (deps.signal.aborted) throw closedError(spec.path, attempts, unknownOutcomes);
    attempts++;
    let token: string | undefined;
    let env: Envelope;
    try {
      token = spec.tokens ? await spec.tokens.get() : undefined;
      const query = token ? { access_token: token, ...spec.query } : (spec.query ?? {});
      env = await deps.gate.run(spec.path, () => callOnce(deps.http, spec.method, spec.path, query, spec.body));
    } catch (err) {
      if (!(err instanceof DingTalkTransportError)) throw err;
      // A failed gettoken inside an API call already carries the gettoken's own count.
      if (err.endpoint !== spec.path) throw err;
      if (err.outcomeUnknown) unknownOutcomes++;
      if (err.kind === 'ip-ban') {
        // Retrying into a ban only extends it: wait it out once, then stop with a clear message.
        if (banned || policy.ipBanWaitMs <= 0) throw ipBanError(err, policy.ipBanWaitMs, { attempts, unknownOutcomes });
        banned = true;
        emit({ type: 'retry', endpoint: spec.path, attempt: attempts, delayMs: policy.ipBanWaitMs, transport: err.kind, detail: err.message, outcomeUnknown: false });
        await sleep(policy.ipBanWaitMs, deps.signal);
        continue;
      }
      if (!err.retryable || attempts >= policy.maxAttempts) throw err.withCount({ attempts, unknownOutcomes });
      const delayMs = backoff(policy, ++backoffs, 0);
      emit({ type: 'retry', endpoint: spec.path, attempt: attempts, delayMs, transport: err.kind, detail: err.message, outcomeUnknown: err.outcomeUnknown });
      await sleep(delayMs, deps.signal);
      continue;
    }
    const cls = effectiveClass(env, Boolean(spec.tokens));
    if (cls === 'ok') return { env, attempts, unknownOutcomes };
    const errmsg = scrubSecrets(String(env.errmsg ?? ''), deps.http.secrets());
    if (cls === 'refresh-token' && !refreshed && token && spec.tokens) {
      refreshed = true;
      spec.tokens.invalidate(token);
      emit({ type: 'token-rejected', endpoint: spec.path, errcode: env.errcode, errmsg });
      continue;
    }
    const maxAttempts = env.errcode === -1 ? Math.min(BUSY_MAX_ATTEMPTS, policy.maxAttempts) : policy.maxAttempts;
    if (cls !== 'retry' || attempts >= maxAttempts) {
      throw new DingTalkCallError(spec.path, env.errcode, errmsg, subCodeOf(env), cls, attempts, unknownOutcomes, env.request_id);
    }
    const floor = isThrottleErrcode(env.errcode) ? policy.throttleWaitMs : isPerMinuteErrcode(env.errcode) ? policy.minuteWaitMs : 0;
    const delayMs = backoff(policy, ++backoffs, floor);
    const type = floor > 0 ? 'throttled' : 'retry';
    emit({ type, endpoint: spec.path, attempt: attempts, delayMs, errcode: env.errcode, errmsg, outcomeUnknown: false });
    await sleep(delayMs, deps.signal);
  }
}

/** errcode 88 wraps the real cause in sub_code; a token problem there is still a token problem. At gettoken, nothing refreshes. */
function effectiveClass(env: Envelope, authenticated: boolean): ErrClass {
  let cls = classifyErrcode(env.errcode);
  if (env.errcode === 88 && TOKEN_CODES.has(String(subCodeOf(env)))) cls = 'refresh-token';
  if (cls === 'refresh-token' && !authenticated) cls = 'fail';
  return cls;
}

function subCodeOf(env: Envelope): string | undefined {
  return env.sub_code === undefined || env.sub_code === null ? undefined : String(env.sub_code);
}

/** Full jitter (AWS architecture blog): uniform in [0, min(max, base·2^(n-1))], never below the code's floor. */
export function backoff(policy: RetryPolicy, n: number, floorMs: number): number {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** (n - 1));
  return Math.max(floorMs, Math.round(policy.random() * ceiling));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

function ipBanError(err: DingTalkTransportError, waitedMs: number, count: { attempts: number; unknownOutcomes: number }): DingTalkTransportError {
  const detail = err.message.slice(err.endpoint.length + 2);
  const waited = waitedMs > 0 ? `, again after waiting ${Math.round(waitedMs / 1000)} s` : '';
  return new DingTalkTransportError(
    err.endpoint,
    `${detail}${waited}. DingTalk bans an IP for 5 minutes after more than 10,000 calls in 20 s from it; ` +
      'stopped so as not to extend the ban. Run again in 5 minutes (what was sent is recorded).',
    { kind: 'ip-ban', ...(err.status === undefined ? {} : { status: err.status }), retryable: false },
    count.attempts,
    count.unknownOutcomes,
  );
}

function closedError(path: string, attempts: number, unknownOutcomes: number): DingTalkTransportError {
  return new DingTalkTransportError(path, 'client closed', { kind: 'closed', retryable: false }, attempts, unknownOutcomes);
}
