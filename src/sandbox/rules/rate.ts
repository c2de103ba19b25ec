/**
 * 20 calls per second per app per API → 90018 [D THROTTLE]. A sliding one-second window of the
 * admitted calls' times; refused calls do not count, so a client that backs off one second gets through.
 * Returns the window to keep (pruned, with `now` added when admitted).
 */
export function admitCall(window: number[], now: number, qps: number): { admitted: boolean; window: number[] } {
  if (qps <= 0) return { admitted: true, window };
  let start = 0;
  while (start < window.length && window[start]! <= now - 1000) start++;
  const kept = start === 0 ? window : window.slice(start);
  if (kept.length >= qps) return { admitted: false, window: kept };
  kept.push(now);
  return { admitted: true, window: kept };
}

export const RATE_LIMITED = { errcode: 90018, errmsg: '当前应用调用该接口的并发量已超过上限 (20 QPS), 请稍后重试' } as const;
