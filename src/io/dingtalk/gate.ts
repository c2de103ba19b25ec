import PQueue from 'p-queue';

export interface GateOptions {
  /** Calls started per API path in any rolling window of `windowMs`; 0 = unlimited. */
  callsPerSecond: number;
  /** Requests in flight over all paths. */
  concurrency: number;
  windowMs?: number;
}

/** Runs a request when both the overall concurrency limit and its API's rate limit allow it. */
export interface Gate {
  run<T>(path: string, task: () => Promise<T>): Promise<T>;
}

/**
 * DingTalk counts QPS per app per API (90018 at 20/s), so each path gets its own sliding-window queue.
 * The concurrency slot is taken first and the rate slot second, so the rate window records the moment the
 * request actually leaves; the other order would let requests that waited for a slot leave in a burst.
 * p-queue's `strict` mode is a true rolling window: a fixed window would allow 2 × N calls around its edge.
 */
export function createGate(opts: GateOptions): Gate {
  const overall = new PQueue({ concurrency: Math.max(1, opts.concurrency) });
  const perPath = new Map<string, PQueue>();
  const windowMs = opts.windowMs ?? 1000;

  const queueFor = (path: string): PQueue => {
    let q = perPath.get(path);
    if (!q) {
      q = opts.callsPerSecond > 0
        ? new PQueue({ intervalCap: opts.callsPerSecond, interval: windowMs, strict: true })
        : new PQueue();
      perPath.set(path, q);
    }
    return q;
  };

  return {
    run<T>(path: string, task: () => Promise<T>): Promise<T> {
      const q = queueFor(path);
      return overall.add(() => q.add(task));
    },
  };
}
