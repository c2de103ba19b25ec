import type { Endpoint, FaultSpec } from './types.js';

export type FaultAction =
  | { kind: 'http'; status: number }
  | { kind: 'drop' }
  | { kind: 'drop-answer' }
  | { kind: 'ip-ban'; style: 'json' | 'html' }
  | { kind: 'errcode'; errcode: number; errmsg: string };

export interface FaultPlan {
  latencyMs: number;
  action: FaultAction | null;
  hold: { name: string; phase: 'before' | 'after' } | null;
}

/** A recipient outcome forced by a `user` fault. */
export interface UserFault {
  outcome: 'failed' | 'forbidden';
  code?: string;
}

const NO_FAULT: FaultPlan = Object.freeze({ latencyMs: 0, action: null, hold: null });

interface ActiveFault {
  spec: FaultSpec;
  remaining: number; // Infinity for latency without a count
}

/** Faults to inject, consumed call by call: each call picks up latency, at most one hold and at most one failure. */
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
    let hold: FaultPlan['hold'] = null;
    for (const f of this.active) {
      const s = f.spec;
      if (f.remaining <= 0 || s.kind === 'user' || (s.endpoint !== undefined && s.endpoint !== endpoint)) continue;
      if (s.kind === 'latency') {
        latencyMs += s.ms;
        f.remaining--;
      } else if (s.kind === 'hold') {
        if (hold !== null) continue;
        hold = { name: s.name, phase: s.phase ?? 'before' };
        f.remaining--;
      } else if (action === null) {
        action = actionOf(s);
        f.remaining--;
      }
    }
    this.prune();
    return { latencyMs, action, hold };
  }

  /** A `user` fault for one recipient who would otherwise receive the message; consumes one of its count. */
  takeUser(userid: string): UserFault | null {
    if (this.active.length === 0) return null;
    for (const f of this.active) {
      const s = f.spec;
      if (s.kind !== 'user' || s.userid !== userid || f.remaining <= 0) continue;
      f.remaining--;
      this.prune();
      return s.outcome === 'failed' ? { outcome: 'failed' } : { outcome: 'forbidden', code: s.code ?? '143103' };
    }
    return null;
  }

  private prune(): void {
    if (this.active.some((f) => f.remaining <= 0)) this.active = this.active.filter((f) => f.remaining > 0);
  }
}

function actionOf(s: Exclude<FaultSpec, { kind: 'latency' | 'hold' | 'user' }>): FaultAction {
  switch (s.kind) {
    case 'http':
      return { kind: 'http', status: s.status };
    case 'drop':
    case 'drop-answer':
      return { kind: s.kind };
    case 'ip-ban':
      return { kind: 'ip-ban', style: s.style ?? 'json' };
    case 'errcode':
      return { kind: 'errcode', errcode: s.errcode, errmsg: s.errmsg ?? `injected errcode ${s.errcode}` };
  }
}
