import type { SandboxClock } from './clock.js';
import { dayKeyOf } from './clock.js';
import type { DirectoryIndex } from './directory.js';
import type { FaultQueue } from './faults.js';
import type { Latches } from './latches.js';
import { processedAt, progressAt, type Progress } from './rules/task-progress.js';
import type { SandboxState, Task } from './state.js';
import type { SandboxApp, SandboxConfig } from './types.js';

/** What every endpoint handler works with. */
export interface Emulator {
  config: SandboxConfig;
  directory: DirectoryIndex;
  state: SandboxState;
  clock: SandboxClock;
  faults: FaultQueue;
  latches: Latches;
  /** Where the server listens (set once bound): the admin API answers only to this host. */
  address: { host: string; port: number };
}

export function dayKey(emu: Emulator, ms: number): string {
  return dayKeyOf(ms, emu.config.tunables.timezone);
}

export function appOf(emu: Emulator, appkey: string): SandboxApp {
  const app = emu.config.apps.find((a) => a.appkey === appkey);
  if (!app) throw new Error(`bug: token for unknown app ${appkey}`);
  return app;
}

export function progressOf(task: Task, now: number): Progress {
  return progressAt(task.timing, now);
}

/** When the recipient at `index` got the message, or null if the task has not reached them yet. */
export function deliveredAt(task: Task, index: number, now: number): number | null {
  const at = processedAt(task.timing, index);
  return at <= now ? at : null;
}

/** Read state: an explicit mark (admin API) or, when configured, a read that happens readAfterMs after delivery. */
export function isRead(emu: Emulator, task: Task, userid: string, delivered: number, now: number): boolean {
  const marked = task.readAt.get(userid);
  if (marked !== undefined && marked <= now) return true;
  const after = emu.config.tunables.readAfterMs;
  return after !== null && delivered + after <= now;
}
