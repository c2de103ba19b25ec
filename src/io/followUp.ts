import type { CallRecipients } from '../core/chunk.js';
import type { CallError, CallReport, SendResultLists } from '../core/send/types.js';
import type { DingTalkClient } from './dingtalk/index.js';

/**
 * How long this run's tasks take DingTalk to finish, learned from the run itself instead of guessed. Follow-up
 * costs API calls (many organisations have 5000 a month), so a task is asked about once it is likely finished —
 * and "likely" comes from what DingTalk answered for earlier tasks of the same run:
 * - until some task has been seen finished, one task at a time probes: it asks at once, then backs off; the
 *   other tasks wait for what it learns (an observed event, not a timer), so a burst of tasks does not
 *   spend a call each on "not finished yet";
 * - once a task was seen finished at age A (time from its send's answer to the ask that found it finished),
 *   every later task is first asked at its own age A. A task that still is not finished backs off and raises A.
 * A sandbox or DingTalk that finishes at once is followed at once: the follow-up overlaps the sends entirely.
 */
export class SettleTime {
  private learned: number | undefined;
  private probing = false;
  private waiters: (() => void)[] = [];

  /** The age at which tasks were seen finished, undefined while nobody has been. */
  get ms(): number | undefined {
    return this.learned;
  }

  /** True if the caller is to probe now; else wait for `changed()` and ask again. */
  tryProbe(): boolean {
    if (this.learned !== undefined || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** A prober gave up (error, deadline, halt) without learning: another task takes over. */
  endProbe(): void {
    this.probing = false;
    this.wake();
  }

  /** A task was seen finished by an ask made at `ageMs` after its send, having been seen unfinished before (or probing). */
  seenFinished(ageMs: number): void {
    this.learned = Math.max(this.learned ?? 0, ageMs);
    this.probing = false;
    this.wake();
  }

  /** Resolves when something was learned or the probe was given up (or at once on a halt). */
  changed(halt: AbortSignal): Promise<void> {
    if (halt.aborted) return Promise.resolve();
    return new Promise((done) => {
      const end = () => {
        halt.removeEventListener('abort', end);
        done();
      };
      this.waiters.push(end);
      halt.addEventListener('abort', end, { once: true });
    });
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }
}

export interface FollowOptions {
  client: DingTalkClient;
  /** Give up following a task after this long; unfinished recipients are reported as unknown. */
  waitTimeoutMs: number;
  settle: SettleTime;
  /** Counts each follow-up call for the report. */
  counted: () => void;
  /** Turns an error into the report's call error. */
  callError: (e: unknown) => CallError;
}

/**
 * Follow one task, sent (answered) at `sentAt` (Date.now()). A users-only call (≤ 100 recipients) is done when every
 * user is in a result list; a department or to_all_user task may reach more than getsendresult can answer for, so
 * it gets progress only.
 */
export async function followTask(c: CallReport, sentAt: number, opts: FollowOptions, halt: AbortSignal): Promise<void> {
  const deadline = Date.now() + opts.waitTimeoutMs;
  let probe = false;
  // Wait for the run's settle time: learned from another task, or this task is the one that learns it.
  while (!halt.aborted) {
    const learned = opts.settle.ms;
    if (learned !== undefined) {
      await pause(Math.min(sentAt + learned, deadline) - Date.now(), halt);
      break;
    }
    if (opts.settle.tryProbe()) {
      probe = true;
      break;
    }
    await opts.settle.changed(halt);
  }
  let delay = 500;
  let unfinished = probe;
  try {
    while (!halt.aborted) {
      const askedAt = Date.now();
      let finished: boolean;
      try {
        opts.counted();
        if (usersOnly(c.recipients)) {
          c.result = (await opts.client.getSendResult(c.task_id as number)).result;
          finished = allAccounted(c.recipients.userids ?? [], c.result);
          if (finished) c.progress = { percent: 100, status: 2 };
        } else {
          c.progress = (await opts.client.getSendProgress(c.task_id as number)).progress;
          finished = c.progress.status === 2;
        }
      } catch (e) {
        c.error = opts.callError(e);
        return;
      }
      if (finished) {
        if (unfinished) {
          opts.settle.seenFinished(askedAt - sentAt);
          probe = false;
        }
        return;
      }
      unfinished = true;
      if (Date.now() + delay > deadline) return;
      await pause(delay, halt);
      delay = Math.min(delay * 2, 5000);
    }
  } finally {
    if (probe) opts.settle.endProbe();
  }
}

/** A timer that keeps the process alive (an unref'd one let runs end silently) and ends early on a halt. */
export function pause(ms: number, halt: AbortSignal): Promise<void> {
  if (halt.aborted || ms <= 0) return Promise.resolve();
  return new Promise((done) => {
    const end = () => {
      clearTimeout(timer);
      halt.removeEventListener('abort', end);
      done();
    };
    const timer = setTimeout(end, ms);
    halt.addEventListener('abort', end, { once: true });
  });
}

function usersOnly(r: CallRecipients): boolean {
  return !r.toAll && !r.deptIds && (r.userids?.length ?? 0) > 0;
}

function allAccounted(users: string[], r: SendResultLists): boolean {
  const seen = new Set([...r.read_user_id_list, ...r.unread_user_id_list, ...r.failed_user_id_list, ...r.forbidden_user_id_list, ...r.invalid_user_id_list, ...r.forbidden_list.map((f) => f.userid)]);
  return users.every((u) => seen.has(u));
}
