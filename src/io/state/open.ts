import { UserError } from '../../errors.js';
import { DINGTALK_BASE_URL } from '../dingtalk/baseUrl.js';
import { fileStore } from './file.js';
import type { StateStore } from './types.js';

export interface OpenStateOptions {
  projectDir: string;
  /** Where messages go (a base URL, or `sandbox`): each target has its own ledger. */
  target?: string;
  /** The app's agent id: with the target, the scope of a shared state (two apps never share a ledger). */
  agentId?: number | string;
  /** `state: { backend: postgres }` in notifications.yaml: the shared state is required, files are not a fallback. */
  required?: 'postgres';
  env?: NodeJS.ProcessEnv;
}

/**
 * The state of a project for one target. `DINGCAST_STATE=postgres://…` (a secret, from the environment; missing
 * parts from the standard PG* variables) selects PostgreSQL; without it the `.dingcast/` files are used — unless
 * the project requires PostgreSQL: a missing CI secret must never mean sending with empty state.
 */
export async function openState(opts: OpenStateOptions): Promise<StateStore> {
  const env = opts.env ?? process.env;
  const url = env.DINGCAST_STATE?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//i.test(url) && url !== 'postgres') {
      throw new UserError('DINGCAST_STATE must be a postgres:// URL (or `postgres` to use the PG* variables)', 'e.g. DINGCAST_STATE=postgres://dingcast@db.example.com:5432/dingcast (keep it in your secret store). Nothing was sent.');
    }
    const scope = env.DINGCAST_STATE_NAMESPACE?.trim() || `${opts.target ?? DINGTALK_BASE_URL}#${opts.agentId ?? ''}`;
    const { postgresStore } = await import('./postgres.js');
    return postgresStore({ url: url === 'postgres' || /^postgres(ql)?:\/\/$/i.test(url) ? '' : url, scope, env });
  }
  if (opts.required === 'postgres') {
    throw new UserError('notifications.yaml says `state: { backend: postgres }` but DINGCAST_STATE is not set; nothing was sent', 'Set DINGCAST_STATE=postgres://… from your secret store (in CI: a repository secret). Without it this run would send with no memory of earlier runs.');
  }
  return fileStore(opts.projectDir, opts.target);
}
