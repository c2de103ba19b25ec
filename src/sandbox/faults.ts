import type { Endpoint, FaultSpec } from './types.js';

export type FaultAction =
  | { kind: 'http'; status: number }
  | { kind: 'drop' }
  | { kind: 'errcode'; errcode: number; errmsg: string };

export interface FaultPlan {
  latencyMs: number;
  action: FaultAction | null;
}

const NO_FAULT: FaultPlan = Object.freeze({ latencyMs: 0, action: null });

interface ActiveFault {
  spec: FaultSpec;
  remaining: number; // Infinity for latency without a count
}

/** Faults to inject, consumed call by call: each call picks up latency plus at most one failure. */
export class FaultQueue {
  private active: ActiveFault[] = [];

  add(...specs: FaultSpec[]): void {
    for (const spec of specs) {
      const remaining = spec.kind === 'latency' && spec.count === undefined ? Infinity : (spec.count ?? 1);
      this.active.push({ spec, remaining });
    }
  }

  clear(): void {
    this.active = [];
  }

  list(): (FaultSpec & { remaining: number | null })[] {
    return this.active.map((f) => ({ ...f.spec, remaining: Number.isFinite(f.remaining) ? f.remaining : null }));
  }

  /** The faults that hit this call, in the order they were added; spent ones are dropped. */
  take(endpoint: Endpoint): FaultPlan {
    if (this.active.length === 0) return NO_FAULT;
    let latencyMs = 0;
    let action: FaultAction | null = null;
    for (const f of this.active) {
      if (f.remaining <= 0 || (f.spec.endpoint !== undefined && f.spec.endpoint !== endpoint)) continue;
      const s = f.spec;
      if (s.kind === 'latency') {
        latencyMs += s.ms;
        f.remaining--;
      } else if (action === null) {
        action =
          s.kind === 'http'
            ? { kind: 'http', status: s.status }
            : s.kind === 'drop'
              ? { kind: 'drop' }
              : { kind: 'errcode', errcode: s.errcode, errmsg: s.errmsg ?? `injected errcode ${s.errcode}` };
        f.remaining--;
      }
    }
    this.active = this.active.filter((f) => f.remaining > 0);
    return { latencyMs, action };
  }
}
