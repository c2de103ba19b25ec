/**
 * Named latches for `hold` faults: a held call waits until a test releases it, so tests order events with
 * latches they control instead of sleeps. `waitHeld` lets a test wait until the calls it expects are in flight.
 */
export interface LatchStatus {
  name: string;
  /** Calls waiting now. */
  held: number;
  /** Calls ever held under this name. */
  total: number;
  /** Calls ever released. */
  released: number;
}

interface Latch {
  waiting: (() => void)[];
  total: number;
  released: number;
}

export class Latches {
  private readonly latches = new Map<string, Latch>();
  private watchers: (() => void)[] = [];

  /** Resolves when the latch is released (or `releaseAll` runs, e.g. on close). */
  hold(name: string): Promise<void> {
    const latch = this.latch(name);
    latch.total++;
    const released = new Promise<void>((resolve) => latch.waiting.push(resolve));
    this.notify();
    return released;
  }

  /** Lets the oldest `count` held calls go (all when absent); returns how many went. */
  release(name: string, count = Infinity): number {
    const latch = this.latch(name);
    const going = latch.waiting.splice(0, Math.min(count, latch.waiting.length));
    latch.released += going.length;
    for (const go of going) go();
    this.notify();
    return going.length;
  }

  releaseAll(): void {
    for (const name of this.latches.keys()) this.release(name);
  }

  status(): LatchStatus[] {
    return [...this.latches].map(([name, l]) => ({ name, held: l.waiting.length, total: l.total, released: l.released }));
  }

  statusOf(name: string): LatchStatus {
    const l = this.latch(name);
    return { name, held: l.waiting.length, total: l.total, released: l.released };
  }

  /** Resolves true once at least `count` calls are held under `name` at the same time; false after `timeoutMs`. */
  waitHeld(name: string, count: number, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = (): boolean => this.latch(name).waiting.length >= count;
      if (check()) return resolve(true);
      const watcher = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        this.watchers = this.watchers.filter((w) => w !== watcher);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.watchers = this.watchers.filter((w) => w !== watcher);
        resolve(false);
      }, timeoutMs);
      this.watchers.push(watcher);
    });
  }

  private latch(name: string): Latch {
    let l = this.latches.get(name);
    if (!l) {
      l = { waiting: [], total: 0, released: 0 };
      this.latches.set(name, l);
    }
    return l;
  }

  private notify(): void {
    for (const w of [...this.watchers]) w();
  }
}
