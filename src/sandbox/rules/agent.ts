import type { ApiError, SandboxApp } from '../types.js';

/**
 * The agent_id must be the calling app's: missing → 40035 (required parameter), not a known agent → 40056,
 * another app's agent → 41020 ("appKey in accessToken does not match agentId", a token cached under the wrong app).
 * getsendresult documents agent_id as optional (seed page), so `required` is false there.
 */
export function checkAgent(apps: SandboxApp[], caller: SandboxApp, raw: unknown, required: boolean): ApiError | null {
  if (raw === undefined || raw === '' || raw === null) {
    return required ? { errcode: 40035, errmsg: '缺少参数 agent_id' } : null;
  }
  const id = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (caller.agent_id === id) return null;
  if (typeof id === 'number' && apps.some((a) => a.agent_id === id)) {
    return { errcode: 41020, errmsg: 'appKey in accessToken does not match agentId' };
  }
  return { errcode: 40056, errmsg: '不合法的agentid' };
}
