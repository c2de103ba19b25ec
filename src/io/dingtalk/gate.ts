import PQueue from 'p-queue';

export interface GateOptions {
  /** Calls per API path in any rolling window of `windowMs`; 0 = unlimited. */
  callsPerSecond: number;
  /** Requests in flight over all paths. */
  concurrency: number;
  windowMs?: number;
  /** Least extra spacing for arrival skew (see below). Default 25 ms. */
  skewMarginMs?: number;
  /** Monotonic clock, ms. Default performance.now. */
  now?: () => number;
}

/** Runs a request when both its API's rate limit and the overall concurrency limit allow it. */
export interface Gate {
  run<T>(path: string, task: () => Promise<T>): Promise<T>;
}

/**
 * DingTalk counts QPS per app per API where the request arrives (90018 beyond 20 in a second). Each API has
 * N = callsPerSecond slots; a call holds one slot, so calls k and k+N of an API use the same slot one after
 * the other. A slot is never reused while its call is in flight, and becomes free again at
 *
 *     start + window + margin,  margin = max(skewMarginMs, jitter, this call's round trip − the fastest so far)
 *
 * Why this keeps DingTalk at ≤ N in any window: call k arrives at start_k + d_k (d = forward delay), call k+N at
 * start_{k+N} + d_{k+N} ≥ start_k + window + margin + d_{k+N}. They are a full window apart unless
 * d_k − d_{k+N} > margin: the earlier call arrived late relative to the later one (arrival skew). A constant
 * delay (distance, a slow server, injected latency) shifts every arrival alike and costs nothing.
 * Skew comes from calls that were slow on the way in: a fresh TCP/TLS connection, a stalled client or server
 * process. Such a call's round trip exceeds the fastest one by at least its extra forward delay, if the fastest
 * call was fast both ways; so its slot is held for that excess too. Two cases make "the fastest so far" a poor
 * yardstick, and both are covered:
 * - the cold burst (calls started before any answer came back): nothing fast is known yet, so their slots are
 *   held for their whole round trip, i.e. a window after their answer — always safe, and only once per run;
 * - a loaded machine, where every call is slow for a while and the next one may suddenly be fast: the margin
 *   is at least the current jitter (how much slower than the fastest the last N round trips were).
 * The margin is computed when a slot is asked for, not when its call ended, so later, faster calls inform it.
 * The request is started (and the clock read) only once it has a connection slot, so waiting for the overall
 * concurrency is not hidden skew: the dispatcher has as many connections as the gate lets requests through.
 * What remains is a bet that skew beyond the measured jitter is rare; if DingTalk still answers 90018, the
 * client waits throttleWaitMs (1 s, as DingTalk asks) and retries.
 * Throughput is N / (window + margin), not N / (window + latency) as when a slot was held for a full window
 * after the answer: with 80 ms of steady latency about 19.5/s instead of 18.5/s, with 500 ms 19.5 instead of 13.
 * Waiting for a slot keeps the process alive (a ref'd timer while anyone waits), and nothing else does: a
 * finished client leaves no timers behind. (An unref()'d timer here once let a run with all 20 slots held end
 * silently with exit code 13.)
 * The rate slot is taken before the concurrency slot, so requests waiting for their API's window do not
 * hold connection slots that other APIs (progress polls during a big send) could use.
 */
export function createGate(opts: GateOptions): Gate {
  const overall = new PQueue({ concurrency: Math.max(1, opts.concurrency) });
  const perPath = new Map<string, RateSlots>();
  const now = opts.now ?? (() => performance.now());
  const windowMs = opts.windowMs ?? 1000;
  const floorMs = opts.skewMarginMs ?? 25;

  const slotsFor = (path: string): RateSlots => {
    let s = perPath.get(path);
    if (!s) {
      s = new RateSlots(opts.callsPerSecond, windowMs, floorMs, now);
      perPath.set(path, s);
    }
    return s;
  };

  return {
    async run<T>(path: string, task: () => Promise<T>): Promise<T> {
      if (opts.callsPerSecond <= 0) return overall.add(task);
      const slots = slotsFor(path);
      const slot = await slots.acquire();
      let startedAt = Number.NaN;
      try {
        return await overall.add(() => {
          startedAt = now();
          return task();
        });
      } finally {
        slots.release(slot, startedAt);
      }
    },
  };
}

/** A slot is free, in flight, or cooling down after a call that started at `startedAt` and took `rtt`. */
type Slot = { state: 'free' } | { state: 'busy' } | { state: 'cooling'; startedAt: number; rtt: number; cold: boolean };

interface Margin {
  fastest: number;
  floor: number;
}

/** N slots of one API. */
class RateSlots {
  private readonly slots: Slot[];
  private readonly waiting: ((slot: number) => void)[] = [];
  /** The fastest round trip so far. It only goes down: overestimating it would shrink margins below the skew. */
  private fastestRtt = Infinity;
  /** Calls started before the first answer are the cold burst: no fast call is known yet to compare them with. */
  private firstAnswerAt = Infinity;
  /** How much slower than the fastest the last N round trips were: the current jitter. */
  private readonly recentRtts: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    n: number,
    private readonly windowMs: number,
    private readonly floorMs: number,
    private readonly now: () => number,
  ) {
    this.slots = Array.from({ length: n }, (): Slot => ({ state: 'free' }));
  }

  acquire(): Promise<number> {
    const slot = this.waiting.length === 0 ? this.freeSlot() : -1;
    if (slot >= 0) {
      this.slots[slot] = { state: 'busy' };
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** `startedAt` is NaN when the call never started (it failed before reaching the network): free at once. */
  release(slot: number, startedAt: number): void {
    const cold = startedAt < this.firstAnswerAt;
    if (Number.isNaN(startedAt)) {
      this.slots[slot] = { state: 'free' };
    } else {
      const rtt = this.now() - startedAt;
      this.fastestRtt = Math.min(this.fastestRtt, rtt);
      this.firstAnswerAt = Math.min(this.firstAnswerAt, this.now());
      this.recentRtts.push(rtt);
      if (this.recentRtts.length > this.slots.length) this.recentRtts.shift();
      this.slots[slot] = { state: 'cooling', startedAt, rtt, cold };
    }
    this.drain();
  }

  /**
   * When a slot can be used again. Computed when asked, not when the call ended: the first calls of a run open
   * connections and are slow, and only the faster calls after them show how much of that was skew.
   */
  private freeTime(slot: Slot, margin: Margin): number {
    if (slot.state === 'free') return Number.NEGATIVE_INFINITY;
    if (slot.state === 'busy') return Infinity;
    const excess = slot.cold ? slot.rtt : slot.rtt - margin.fastest;
    return slot.startedAt + this.windowMs + Math.max(margin.floor, excess);
  }

  /** The fastest round trip, and the floor: the configured least margin or the current jitter, whichever is more. */
  private margin(): Margin {
    const fastest = Number.isFinite(this.fastestRtt) ? this.fastestRtt : 0;
    const jitter = this.recentRtts.length === 0 ? 0 : Math.max(...this.recentRtts) - fastest;
    return { fastest, floor: Math.max(this.floorMs, jitter) };
  }

  private freeSlot(): number {
    const t = this.now();
    const margin = this.margin();
    return this.slots.findIndex((s) => this.freeTime(s, margin) <= t);
  }

  /** Hands free slots to waiters in arrival order, then sets a timer for the next slot that frees up. */
  private drain(): void {
    while (this.waiting.length > 0) {
      const slot = this.freeSlot();
      if (slot < 0) break;
      this.slots[slot] = { state: 'busy' };
      this.waiting.shift()!(slot);
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const margin = this.margin();
    const next = Math.min(...this.slots.map((s) => this.freeTime(s, margin)));
    // All slots in flight: their release() calls drain(); no timer needed until then.
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => this.drain(), Math.max(0, Math.ceil(next - this.now())));
  }
}
