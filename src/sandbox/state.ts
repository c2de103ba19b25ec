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
/** The longest DingTalk answers for a task: status-bar updates up to 7 days after the send (dingtalk-api.md). */
export const TASK_MEMORY_MS = 7 * 24 * 3_600_000;
const TOKEN_MEMORY_MS = 24 * 3_600_000;

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
  /** YYYY-MM (sandbox clock, its time zone) → metered calls the organisation made that month (the monthly quota). */
  monthCalls = new Map<string, number>();
  /** media_id → an uploaded file (media/upload). */
  media = new Map<string, SandboxMedia>();
  /** appkey → people its messages reached in the last minute (the 5000-a-minute cap). */
  minutes = new Map<string, MinuteWindow>();
  calls: Record<Endpoint, number> = zeroCalls();
  log: CallRecord[] = [];
  private nextTaskId = 60_000_000_001;
  private forgotAt = -Infinity;
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

  /**
   * Bounded memory for a sandbox left running for days: forget what DingTalk itself no longer answers for. A task
   * goes after 7 days (the status bar's window, the longest; results and recall end at 24 h), with its inbox
   * entries; a token a day after it expired; per-day counters once their day is over (`oldestDay`: the first day kept,
   * YYYY-MM-DD, compared as text). Called at most once a sandbox minute, so it costs nothing per call.
   */
  forget(now: number, oldestDay: string): { tasks: number; tokens: number } {
    if (now >= this.forgotAt && now - this.forgotAt < 60_000) return { tasks: 0, tokens: 0 };
    this.forgotAt = now;
    const before = { tasks: this.tasks.size, tokens: this.tokens.size };
    const gone = new Set<number>();
    for (const [id, task] of this.tasks) if (task.createdAt < now - TASK_MEMORY_MS) gone.add(id);
    for (const id of gone) this.tasks.delete(id);
    if (gone.size > 0) {
      for (const [user, ids] of this.inbox) {
        const kept = ids.filter((id) => !gone.has(id));
        if (kept.length === 0) this.inbox.delete(user);
        else if (kept.length !== ids.length) this.inbox.set(user, kept);
      }
    }
    // An expired token is still known for a day, so it is answered 42001 (expired), as DingTalk does, not 40014.
    for (const [token, record] of this.tokens) if (record.expiresAt <= now - TOKEN_MEMORY_MS) this.tokens.delete(token);
    for (const [app, token] of this.tokenByApp) if (!this.tokens.has(token)) this.tokenByApp.delete(app);
    const dayOf = (key: string) => key.split('|')[1] ?? '';
    for (const key of this.received.keys()) if (dayOf(key) < oldestDay) this.received.delete(key);
    for (const key of this.seen) if (dayOf(key) < oldestDay) this.seen.delete(key);
    for (const key of this.toAll.keys()) if (dayOf(key) < oldestDay) this.toAll.delete(key);
    return { tasks: before.tasks - this.tasks.size, tokens: before.tokens - this.tokens.size };
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
    this.monthCalls.clear();
    this.media.clear();
    this.minutes.clear();
    this.calls = zeroCalls();
    this.log = [];
    this.forgotAt = -Infinity;
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
