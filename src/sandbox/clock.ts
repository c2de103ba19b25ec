/**
 * The sandbox clock. Every time-based rule (token expiry, task progress, the 24 h / 7 day windows,
 * calendar days in Asia/Shanghai) reads `now()` so tests can move time instead of waiting for it.
 * Two modes: `running` follows a base source plus an offset; `fixed` stands still until set or advanced.
 */
export interface SandboxClock {
  /** Milliseconds since the epoch, as the sandbox sees it. */
  now(): number;
  /** Jump to a moment; a running clock keeps running from there. */
  set(at: Date | number | string): void;
  /** Move forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  /** Stop the clock at its current reading. */
  freeze(): void;
  /** Let a frozen clock run again from its current reading. */
  resume(): void;
  readonly mode: 'running' | 'fixed';
}

export type ClockSource = Date | (() => number);

export function createClock(start?: ClockSource): SandboxClock {
  const base = typeof start === 'function' ? start : () => Date.now();
  let mode: 'running' | 'fixed' = start instanceof Date ? 'fixed' : 'running';
  let fixedAt = start instanceof Date ? start.getTime() : 0;
  let offset = 0;

  const now = (): number => (mode === 'fixed' ? fixedAt : base() + offset);
  return {
    now,
    set(at) {
      const ms = toMillis(at);
      if (mode === 'fixed') fixedAt = ms;
      else offset = ms - base();
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError(`clock.advance needs a finite number of ms, got ${ms}`);
      if (mode === 'fixed') fixedAt += ms;
      else offset += ms;
    },
    freeze() {
      fixedAt = now();
      mode = 'fixed';
    },
    resume() {
      offset = fixedAt - base();
      mode = 'running';
    },
    get mode() {
      return mode;
    },
  };
}

export function toMillis(at: Date | number | string): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid time: ${String(at)}`);
  return ms;
}

/**
 * The calendar day (YYYY-MM-DD) of `ms` in `timeZone`; DingTalk counts daily limits per Beijing day.
 * Intl formatting with a time zone costs ~0.1 ms, too much on every send, so answers are cached per
 * 15-minute slot: no zone changes its offset inside one (offsets are whole quarter hours).
 */
export function dayKeyOf(ms: number, timeZone: string): string {
  const slot = `${timeZone}|${Math.floor(ms / SLOT_MS)}`;
  let key = daySlots.get(slot);
  if (key === undefined) {
    if (daySlots.size > 10_000) daySlots.clear();
    key = dayFormatter(timeZone).format(new Date(ms));
    daySlots.set(slot, key);
  }
  return key;
}

const SLOT_MS = 15 * 60_000;
const daySlots = new Map<string, string>();
const formatters = new Map<string, Intl.DateTimeFormat>();
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA formats dates as YYYY-MM-DD.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}
