import pc from 'picocolors';
import type { ProjectConfig } from '../core/project.js';
import { callsEntry } from '../core/send/quota.js';
import type { CallsBy } from '../core/send/records.js';
import type { MeteredClient } from '../io/meter.js';
import { openState, type StateStore } from '../io/state/index.js';
import { log } from './output.js';
import { stateScope } from './stateScope.js';

/** What a command's metered calls are recorded as: whose (the app's agent id), for which run, made by what. */
export interface CallsOf {
  /** The run the calls were for (a recall's run, the run whose reminders were decided…). */
  run: string;
  /** The agent id, as the quota's count names the app (core/send/quota.ts). */
  app: string;
  /** Absent for a send's own calls. */
  by?: CallsBy;
}

/**
 * The monthly quota counts every metered call dingcast makes (issue 16 item 10): a `calls` record in the state once
 * the calls are made. A failure to record stops nothing (the calls were made); it says the count is short.
 */
export async function recordCalls(store: StateStore, of: CallsOf, meter: MeteredClient): Promise<void> {
  if (meter.calls() === 0 && !meter.exhausted()) return;
  try {
    await store.append(callsEntry(of.run, of.app, new Date(), meter.calls(), meter.exhausted(), of.by));
  } catch (e) {
    shortBy(meter, e);
  }
}

/** How long a recall, refresh or status-bar update waits for a running send's lock to count its calls. */
const LOCK_WAIT_MS = 30_000;

/**
 * For commands that act outside a send (recall, status-bar, report --refresh, media upload): they make their calls
 * without the run lock, so a recall is never held up by a send, and take it only to write the record (the file
 * ledger has one writer at a time).
 */
export async function recordCallsOutsideRun(where: { projectDir: string; target: string; config: Pick<ProjectConfig, 'agentId' | 'stateBackend'> | undefined }, of: CallsOf, meter: MeteredClient, env: NodeJS.ProcessEnv): Promise<void> {
  if (meter.calls() === 0 && !meter.exhausted()) return;
  let store: StateStore | undefined;
  try {
    store = await openState({ projectDir: where.projectDir, target: where.target, env, ...stateScope(where.config, false, env) });
    const label = `${of.by ?? 'send'} of ${of.run}`;
    await store.lock(label, 0).catch(async () => {
      log(pc.dim(`waiting up to ${LOCK_WAIT_MS / 1000} s for the running send to finish, to count these ${meter.calls()} API calls in the state`));
      return (store as StateStore).lock(label, LOCK_WAIT_MS);
    });
    await recordCalls(store, of, meter);
  } catch (e) {
    shortBy(meter, e);
  } finally {
    await store?.close().catch(() => undefined);
  }
}

function shortBy(meter: MeteredClient, e: unknown): void {
  log(pc.yellow(`warning: ${meter.calls()} API call(s) could not be counted in the state (${e instanceof Error ? e.message : String(e)}); the monthly quota's count is short by them`));
}
