/**
 * What to do with a DingTalk errcode (dingtalk-api.md §4). The class drives the client's retry loop:
 * - retry: back off and try again (throttles, system busy);
 * - refresh-token: the token was rejected — fetch a new one and retry once;
 * - fail: fix the input or configuration, retrying cannot help;
 * - defer: a daily/per-minute cap on this content or recipient — try another day or with other content.
 */
export type ErrClass = 'ok' | 'retry' | 'refresh-token' | 'fail' | 'defer';

const RETRY = [
  -1, // system busy
  500, // system exception (progress / recall / status bar)
  41047, 41048, // per-minute message caps for the enterprise
  // Status bar: "progress not finished yet" is retryable; once progress is 100 the retries run out and fail.
  41052,
  90002, // global per-API limit
  90005, 90006, 90007, 90008, 90009, 90010, 90011, 90012, 90013, 90014, // enterprise / ISV over-calling
  90018, // app QPS (20 per API)
  90019, // ISV per-corp QPS
  143103, 143104, 143203, 143204, // recipients-per-minute exceeded (forbidden_list codes)
  1430003, // OAPI system protection
];
const REFRESH_TOKEN = [33001, 40001, 40014, 42001];
const DEFER = [
  41045, 41046, // to_all_user daily / per-minute cap
  143105, 143205, // per-user daily cap
  143106, 143206, // duplicate content that day
];
const FAIL = [
  88, 41001, 43007, 40089, 40056, 41020, 400002, 40035, 40008, 40031, 40032, 40066, 34016, 45002,
  43004, 43005, 43009, 47001, 41028, 41029, 41044, 41049, 1430002, 60020, 90020, 885001, 885006,
  1430000, 1430001, 1430004,
  853004, 853005, // get_corp_token: wrong signature (suite secret) / suite ticket [O: SDK users' reports]
];

const TABLE = new Map<number, ErrClass>([
  [0, 'ok'],
  ...RETRY.map((c): [number, ErrClass] => [c, 'retry']),
  ...REFRESH_TOKEN.map((c): [number, ErrClass] => [c, 'refresh-token']),
  ...DEFER.map((c): [number, ErrClass] => [c, 'defer']),
  ...FAIL.map((c): [number, ErrClass] => [c, 'fail']),
]);

/** Unknown codes are 'fail': retrying something we do not understand could double-send or hammer DingTalk. */
export function classifyErrcode(errcode: number): ErrClass {
  return TABLE.get(errcode) ?? 'fail';
}

/** Every errcode the table knows, for tests and documentation. */
export function knownErrcodes(): ReadonlyMap<number, ErrClass> {
  return TABLE;
}

/**
 * Throttle codes where DingTalk asks for a pause before the next try: 90018 "sleep 1 s and retry",
 * 90002 "back off 1 s, 2 s, 4 s…". Full jitter alone could retry after a few milliseconds.
 */
export function isThrottleErrcode(errcode: number): boolean {
  return errcode === 90002 || (errcode >= 90005 && errcode <= 90014) || errcode === 90018 || errcode === 90019;
}

/** Per-minute caps: the next minute is the earliest moment a retry can succeed. */
export function isPerMinuteErrcode(errcode: number): boolean {
  return errcode === 41047 || errcode === 41048 || (errcode >= 143103 && errcode <= 143104) || (errcode >= 143203 && errcode <= 143204);
}
