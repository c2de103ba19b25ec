import type { ProjectConfig } from '../core/project.js';
import { resolveAgentId } from './credentials.js';

/**
 * Which shared state a command opens, from the project's settings (send, schedule and `state` must agree, or one
 * reads slots another never wrote): the agent id that, with the target, scopes a PostgreSQL state (`--sandbox`:
 * the sandbox's default app), and whether `state: { backend: postgres }` makes DINGCAST_STATE required.
 */
export function stateScope(config: Pick<ProjectConfig, 'agentId' | 'stateBackend'> | undefined, sandbox: boolean | undefined, env: NodeJS.ProcessEnv): { agentId?: number; required?: 'postgres' } {
  const required = config?.stateBackend === 'postgres' ? { required: 'postgres' as const } : {};
  if (sandbox) return { agentId: 100000001, ...required };
  try {
    return { agentId: resolveAgentId(config?.agentId, env), ...required };
  } catch {
    return required; // no agent id yet: the target alone is the scope (send then stops on the missing agent id)
  }
}
