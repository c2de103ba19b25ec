import type { CallsEntry } from '../../src/core/send/records.js';
import { allLedgersText, runCli, type CliResult } from '../helpers/cli.js';
import type { SandboxProcess } from '../helpers/sandboxProcess.js';

/**
 * What the quota tests read on both sides: the `calls` records dingcast wrote, and the metered calls `dingcast
 * sandbox` answered. Equal sums are the proof that every metered call was counted, and counted once.
 */

/** The `calls` records among JSON lines (a ledger file, or `state export`). */
export function callsIn(jsonl: string): CallsEntry[] {
  return jsonl
    .split('\n')
    .filter((l) => l.includes('"type":"calls"'))
    .map((l) => JSON.parse(l) as CallsEntry);
}

/** The `calls` records of a project's file ledgers (every target). */
export const fileCalls = (dir: string): CallsEntry[] => callsIn(allLedgersText(dir));

/** The `calls` records of the state `dingcast state export` reads (PostgreSQL when DINGCAST_STATE names it). */
export async function exportedCalls(cli: (args: string[]) => Promise<CliResult>): Promise<CallsEntry[]> {
  const exported = await cli(['state', 'export']);
  if (exported.code !== 0) throw new Error(`state export failed: ${exported.stderr}`);
  return callsIn(exported.stdout);
}

/** Metered calls the sandbox answered so far: every endpoint's, the tokens' aside (they are not metered). */
export async function meteredAt(sandbox: SandboxProcess): Promise<number> {
  const { calls } = await sandbox.admin.calls();
  return Object.entries(calls).reduce((sum, [endpoint, n]) => (endpoint === 'gettoken' || endpoint === 'get_corp_token' ? sum : sum + n), 0);
}

/** The CLI in project `dir`, pointed at the sandbox (its default app), with `env` on top. */
export const cliAt =
  (sandbox: SandboxProcess, dir: string, env: Record<string, string> = {}) =>
  (args: string[]): Promise<CliResult> =>
    runCli([...args, '--project', dir], { env: { ...sandbox.env, ...env } });
