import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Emulator } from '../context.js';
import { issueToken } from '../rules/token.js';
import type { Answer, ApiError, SandboxApp } from '../types.js';

/**
 * POST /service/get_corp_token?accessKey=SUITE_KEY&timestamp=MS&suiteTicket=…&signature=… {auth_corpid}
 * → { access_token, expires_in } [D ISVTOKEN]. The signature is base64(HMAC-SHA256(timestamp + "\n" +
 * suiteTicket, suiteSecret)) (dingtalk-api.md, top). A wrong signature (wrong suite secret) is 853004
 * "签名校验失败", a wrong suite ticket 853005 "签名中套件ticket参数无效" (codes as SDK users report them).
 * The timestamp is not checked against the sandbox clock: tests move that clock, the client sends wall time.
 */
export function getCorpToken(emu: Emulator, query: URLSearchParams, params: Record<string, unknown>): Answer {
  const app = checkSuite(emu.config.apps, query, params);
  if ('errcode' in app) return app;
  const now = emu.clock.now();
  const lifetimeMs = emu.config.tunables.tokenLifetimeSec * 1000;
  // ISV corp tokens are new on every fetch; the older ones stay valid until they expire [D ISVTOKEN].
  const record = issueToken(app, undefined, now, lifetimeMs, () => randomBytes(16).toString('hex'));
  emu.state.tokens.set(record.token, record);
  emu.state.tokenByApp.set(app.appkey, record.token);
  return { errcode: 0, errmsg: 'ok', access_token: record.token, expires_in: emu.config.tunables.tokenLifetimeSec };
}

function checkSuite(apps: SandboxApp[], query: URLSearchParams, params: Record<string, unknown>): SandboxApp | ApiError {
  const accessKey = query.get('accessKey') ?? '';
  const timestamp = query.get('timestamp') ?? '';
  const ticket = query.get('suiteTicket') ?? '';
  const signature = query.get('signature') ?? '';
  if (!accessKey || !timestamp || !signature) return { errcode: 40035, errmsg: '缺少参数 accessKey, timestamp 或 signature' };
  const app = apps.find((a) => a.kind === 'isv' && a.appkey === accessKey);
  if (!app) return { errcode: 40089, errmsg: '不合法的accessKey (unknown suite key)' };
  if (!ticket || ticket !== app.suite_ticket) return { errcode: 853005, errmsg: '签名中套件ticket参数无效' };
  const expected = createHmac('sha256', app.appsecret).update(`${timestamp}\n${ticket}`).digest();
  const given = Buffer.from(signature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { errcode: 853004, errmsg: '签名校验失败' };
  const corp = params.auth_corpid;
  if (typeof corp !== 'string' || corp === '') return { errcode: 40035, errmsg: '缺少参数 auth_corpid' };
  if (corp !== app.corp_id) return { errcode: 40089, errmsg: '不合法的auth_corpid (the suite is not authorised in this corp)' };
  return app;
}
