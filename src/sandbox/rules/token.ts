import type { ApiError, SandboxApp } from '../types.js';

export interface TokenRecord {
  token: string;
  appkey: string;
  expiresAt: number;
}

/** gettoken: an unknown appkey is 40089, a known appkey with the wrong secret 40001 (DingTalk's two answers). */
export function checkCredentials(apps: SandboxApp[], appkey: string | undefined, appsecret: string | undefined): SandboxApp | ApiError {
  const app = apps.find((a) => a.appkey === appkey);
  if (!appkey || !app) return { errcode: 40089, errmsg: '不合法的corpid或corpsecret (unknown appkey)' };
  if (app.appsecret !== appsecret) return { errcode: 40001, errmsg: '获取access_token时Secret错误，或者access_token无效' };
  return app;
}

/**
 * Internal apps get the same token back while it is valid, and each fetch extends it [D GETTOKEN].
 * ISV corp tokens are new on every fetch [D ISVTOKEN]; the old one stays valid until it expires.
 */
export function issueToken(
  app: SandboxApp,
  current: TokenRecord | undefined,
  now: number,
  lifetimeMs: number,
  mint: () => string,
): TokenRecord {
  const reuse = app.kind === 'internal' && current !== undefined && current.expiresAt > now;
  return { token: reuse ? current.token : mint(), appkey: app.appkey, expiresAt: now + lifetimeMs };
}

/** Every topapi call's `access_token`, looked up: its record, or the answer for a token missing (41001), unknown (40014) or expired (42001). */
export function authenticate(url: URL, tokens: ReadonlyMap<string, TokenRecord>, now: number): TokenRecord | ApiError {
  const token = url.searchParams.get('access_token');
  if (token === null || token === '') return { errcode: 41001, errmsg: '缺少access_token参数' };
  const record = tokens.get(token);
  if (!record) return { errcode: 40014, errmsg: '不合法的access_token' };
  if (record.expiresAt <= now) return { errcode: 42001, errmsg: 'access_token超时' };
  return record;
}
