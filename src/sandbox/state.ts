import { randomBytes } from 'node:crypto';
import type { TokenRecord } from './rules/token.js';
import type { Delivery } from './rules/flow-control.js';
import type { Selectors } from './rules/selectors.js';
import type { TaskTiming } from './rules/task-progress.js';
import { ENDPOINTS, type Endpoint } from './types.js';
import type { SandboxMedia } from './endpoints/media.js';

export interface StatusBar {
  status_value: string;
  status_bg?: string;
}

export interface Task {
  task_id: number;
  appkey: string;
  agent_id: number;
  createdAt: number;
  msg: Record<string, unknown>;
  selectors: Selectors;
  deliveries: Delivery[];
  invalidDepts: string[];
  timing: TaskTiming;
  recalledAt: number | null;
  statusBar: StatusBar | null;
  /** userid → when they read it (set by the admin API; automatic reads are computed from readAfterMs). */
  readAt: Map<string, number>;
  /** sendbytemplate: which template and data (the `msg` is the filled template, for the inbox). */
  template: { template_id: string; data: Record<string, string> } | null;
}

export interface CallRecord {
  endpoint: Endpoint | 'unknown';
  at: number;
  errcode: number | null;
}

const LOG_LIMIT = 10_000;

/** Everything the sandbox remembers between calls; `reset()` forgets it all. */
export class SandboxState {
  tokens = new Map<string, TokenRecord>();
  tokenByApp = new Map<string, string>();
  tasks = new Map<number, Task>();
  /** userid → task ids of the messages delivered to them, oldest first. */
  inbox = new Map<string, number[]>();
  /** `${appkey}|${day}|${userid}` → messages delivered that day. */
  received = new Map<string, number>();
  /** `${appkey}|${day}|${userid}|${content}` for the once-a-day rule. */
  seen = new Set<string>();
  /** `${appkey}|${day}` → to_all_user sends that day. */
  toAll = new Map<string, number>();
  /** `${appkey}|${endpoint}` → times of admitted calls in the last second. */
  rate = new Map<string, number[]>();
  /** media_id → an uploaded file (media/upload). */
  media = new Map<string, SandboxMedia>();
  /** appkey → people its messages reached in the last minute (the 5000-a-minute cap). */
  minutes = new Map<string, MinuteWindow>();
  calls: Record<Endpoint, number> = zeroCalls();
  log: CallRecord[] = [];
  private nextTaskId = 60_000_000_001;
  private requestSeq = 0;
  private readonly requestPrefix = randomBytes(4).toString('hex');

  minuteOf(appkey: string, now: number): MinuteWindow {
    let w = this.minutes.get(appkey);
    if (!w) {
      w = new MinuteWindow();
      this.minutes.set(appkey, w);
    }
    w.prune(now);
    return w;
  }

  newTaskId(): number {
    return this.nextTaskId++;
  }

  newRequestId(): string {
    return `${this.requestPrefix}${(this.requestSeq++).toString(36).padStart(6, '0')}`;
  }

  record(call: CallRecord): void {
    if (call.endpoint !== 'unknown') this.calls[call.endpoint]++;
    this.log.push(call);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
  }

  reset(): void {
    this.tokens.clear();
    this.tokenByApp.clear();
    this.tasks.clear();
    this.inbox.clear();
    this.received.clear();
    this.seen.clear();
    this.toAll.clear();
    this.rate.clear();
    this.media.clear();
    this.minutes.clear();
    this.calls = zeroCalls();
    this.log = [];
  }
}

function zeroCalls(): Record<Endpoint, number> {
  return Object.fromEntries(ENDPOINTS.map((e) => [e, 0])) as Record<Endpoint, number>;
}

/** Deliveries of the last minute on the sandbox clock (a clock moved back forgets nothing it should count). */
export class MinuteWindow {
  private entries: { at: number; n: number }[] = [];
  total = 0;

  add(at: number, n: number): void {
    if (n <= 0) return;
    this.entries.push({ at, n });
    this.total += n;
  }

  prune(now: number): void {
    while (this.entries.length > 0 && this.entries[0]!.at <= now - 60_000) this.total -= this.entries.shift()!.n;
  }
}
