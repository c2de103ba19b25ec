import type { ProjectConfig } from '../core/project.js';
import { UserError } from '../errors.js';

export interface Credentials {
  baseUrl: string;
  appKey: string;
  appSecret: string;
  agentId: number;
}

export const DEFAULT_BASE_URL = 'https://oapi.dingtalk.com';

/** Credentials come only from the environment (never YAML, never printed). */
export function credentialsFromEnv(env: NodeJS.ProcessEnv, config: ProjectConfig): Credentials {
  const appKey = env.DINGTALK_APP_KEY;
  const appSecret = env.DINGTALK_APP_SECRET;
  if (!appKey || !appSecret) {
    throw new UserError('DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set', 'Export them from your secret store, or try the flow locally with --sandbox.');
  }
  return { baseUrl: (env.DINGTALK_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, ''), appKey, appSecret, agentId: resolveAgentId(config.agentId, env) };
}

export function resolveAgentId(value: number | string | undefined, env: NodeJS.ProcessEnv): number {
  let raw: string | number | undefined = value;
  const ref = typeof value === 'string' ? /^\$\{([A-Z_][A-Z0-9_]*)\}$/.exec(value) : null;
  if (ref?.[1]) raw = env[ref[1]];
  raw ??= env.DINGTALK_AGENT_ID;
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isSafeInteger(n) || n <= 0) {
    throw new UserError(`no usable agent_id${ref?.[1] ? ` (\${${ref[1]}} is ${env[ref[1]] === undefined ? 'not set' : `\`${env[ref[1]]}\``})` : ''}`, 'Set app.agent_id in notifications.yaml, or DINGTALK_AGENT_ID in the environment.');
  }
  return n;
}
