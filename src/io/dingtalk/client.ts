import { createHash } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Agent } from 'undici';
import { agentIdProblem } from '../../core/agentId.js';
import { UserError } from '../../errors.js';
import { DingTalkTransportError } from './errors.js';
import { createGate } from './gate.js';
import { corpTokenSignature } from './isv.js';
import { createPacer } from './pace.js';
import type { HttpContext } from './http.js';
import { uploadMedia } from './media.js';
import { parseProgress, parseSendResult, parseTaskId } from './parse.js';
import { redactUrl } from './redact.js';
import { callWithRetry, type CallDeps, type CallOutcome } from './retry.js';
import { createTokenSource, type FetchedToken } from './token.js';
import type { ClientOptions, DingTalkClient, SendRequest, TemplateSendRequest } from './types.js';

const PATHS = {
  token: '/gettoken',
  corpToken: '/service/get_corp_token',
  send: '/topapi/message/corpconversation/asyncsend_v2',
  sendByTemplate: '/topapi/message/corpconversation/sendbytemplate',
  progress: '/topapi/message/corpconversation/getsendprogress',
  result: '/topapi/message/corpconversation/getsendresult',
  recall: '/topapi/message/corpconversation/recall',
  statusBar: '/topapi/message/corpconversation/status_bar/update',
} as const;

export function createDingTalkClient(opts: ClientOptions): DingTalkClient {
  checkOptions(opts);
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const concurrency = opts.concurrency ?? 8;
  const seenTokens = new Set<string>();
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 30_000 });
  const closing = new AbortController();
  // Every call waiting out a backoff listens to it at once; many at a time is by design, not a leak.
  setMaxListeners(0, closing.signal);
  // Every backoff sleep listens for close(); a burst of throttled sends has many sleeping at once.
  setMaxListeners(0, closing.signal);
  let closed: Promise<void> | undefined;
  const http: HttpContext = {
    dispatcher,
    baseUrl,
    timeoutMs: opts.timeoutMs ?? 10_000,
    secrets: () => [opts.appSecret, opts.isv?.suiteSecret, opts.isv?.suiteTicket, ...seenTokens],
  };
  const deps: CallDeps = {
    http,
    gate: createGate({ callsPerSecond: opts.callsPerSecond ?? 20, concurrency }),
    policy: {
      maxAttempts: Math.max(1, opts.maxAttempts ?? 5),
      retryBaseMs: opts.retryBaseMs ?? 500,
      retryMaxMs: opts.retryMaxMs ?? 30_000,
      throttleWaitMs: opts.throttleWaitMs ?? 1000,
      minuteWaitMs: opts.minuteWaitMs ?? 60_000,
      ipBanWaitMs: opts.ipBanWaitMs ?? 5 * 60_000,
      random: opts.random ?? Math.random,
    },
    emit: (e) => opts.onEvent?.(e),
    signal: closing.signal,
  };

  const recipientsPerMinute = opts.recipientsPerMinute ?? 5000;
  const pacer = createPacer({ perWindow: recipientsPerMinute, windowMs: opts.recipientsWindowMs ?? 60_000, ...(opts.paceClock ?? {}) });

  const isv = opts.isv;
  const fetchToken = async (): Promise<FetchedToken> => {
    let path: string;
    let env: Record<string, unknown>;
    if (isv) {
      // DingTalk compares the timestamp with its own clock: the wall clock, not a test's sandbox clock.
      const timestamp = String(Date.now());
      const signature = corpTokenSignature(timestamp, isv.suiteTicket, isv.suiteSecret);
      const query = { accessKey: isv.suiteKey, timestamp, suiteTicket: isv.suiteTicket, signature };
      path = PATHS.corpToken;
      ({ env } = await callWithRetry(deps, { method: 'POST', path, query, body: { auth_corpid: isv.corpId } }));
    } else {
      const query = { appkey: opts.appKey, appsecret: opts.appSecret };
      path = PATHS.token;
      ({ env } = await callWithRetry(deps, { method: 'GET', path, query }));
    }
    const token = env.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new DingTalkTransportError(path, 'answer lacks access_token', { kind: 'not-json', retryable: false });
    }
    seenTokens.add(token);
    const expiresIn = Number(env.expires_in);
    return { token, expiresInSec: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 7200 };
  };
  const digest = (text: string): string => createHash('sha256').update(text).digest('hex');
  const tokens = createTokenSource({
    // One corp token per suite and customer corp; a wrong secret or ticket must not ride on a good token.
    key: isv
      ? `${baseUrl}\nisv\n${isv.suiteKey}\n${isv.corpId}\n${digest(`${isv.suiteSecret}\n${isv.suiteTicket}`)}`
      : `${baseUrl}\n${opts.appKey}\n${digest(opts.appSecret)}`,
    fetch: fetchToken,
    now: opts.now ?? Date.now,
    refreshMarginMs: opts.tokenRefreshMarginMs ?? 5 * 60_000,
    onRefresh: (reason) => deps.emit({ type: 'token-refresh', reason }),
  });
  // A token fetched by another client of the same app must be scrubbed from our errors too.
  const authedTokens = {
    get: async () => {
      const t = await tokens.get();
      seenTokens.add(t);
      return t;
    },
    invalidate: (t: string) => tokens.invalidate(t),
  };

  const post = (path: string, body: object): Promise<CallOutcome> =>
    callWithRetry(deps, { method: 'POST', path, body: { agent_id: opts.agentId, ...body }, tokens: authedTokens });

  return {
    async sendMessage(req) {
      await pacer.take(recipientCount(req));
      const { env, attempts, unknownOutcomes } = await post(PATHS.send, buildSendBody(req));
      return { taskId: parseTaskId(env, PATHS.send), attempts, unknownOutcomes };
    },
    async sendByTemplate(req) {
      await pacer.take(recipientCount(req));
      const { env, attempts, unknownOutcomes } = await post(PATHS.sendByTemplate, buildTemplateBody(req));
      return { taskId: parseTaskId(env, PATHS.sendByTemplate), attempts, unknownOutcomes };
    },
    async getSendProgress(taskId) {
      const { env, attempts } = await post(PATHS.progress, { task_id: taskId });
      return { progress: parseProgress(env, PATHS.progress), attempts };
    },
    async getSendResult(taskId) {
      const { env, attempts } = await post(PATHS.result, { task_id: taskId });
      return { result: parseSendResult(env), attempts };
    },
    uploadMedia(up) {
      return uploadMedia(deps, authedTokens, up);
    },
    async checkCredentials() {
      await authedTokens.get();
    },
    credentialValues() {
      return http.secrets().filter((s): s is string => typeof s === 'string' && s !== '');
    },
    async recall(taskId) {
      const { attempts } = await post(PATHS.recall, { msg_task_id: taskId });
      return { attempts };
    },
    async updateStatusBar(taskId, statusValue, statusBg) {
      const { attempts } = await post(PATHS.statusBar, { task_id: taskId, status_value: statusValue, ...(statusBg ? { status_bg: statusBg } : {}) });
      return { attempts };
    },
    async callContacts(path, body) {
      // Contacts APIs take no agent_id; the same token, rate gate and retries as the message APIs.
      return (await callWithRetry(deps, { method: 'POST', path, body, tokens: authedTokens })).env;
    },
    close() {
      if (!closed) {
        closing.abort();
        closed = dispatcher.close();
      }
      return closed;
    },
  };
}

/** Configuration mistakes surface before any request, as user errors that never quote the secret. */
function checkOptions(opts: ClientOptions): void {
  let url: URL | undefined;
  try {
    url = new URL(opts.baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '') {
    throw new UserError(`DingTalk base URL ${JSON.stringify(redactUrl(opts.baseUrl))} is not an http(s) URL without a query`, 'set DINGTALK_BASE_URL like https://oapi.dingtalk.com');
  }
  if (opts.isv) {
    const missing = ISV_FIELDS.filter(([field]) => !opts.isv?.[field]).map(([, env]) => env);
    if (missing.length > 0) throw new UserError(`ISV app credentials are incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} empty`, `set ${missing.join(', ')}`);
  } else {
    if (!opts.appKey) throw new UserError('DingTalk app key is empty', 'set DINGTALK_APP_KEY');
    if (!opts.appSecret) throw new UserError('DingTalk app secret is empty', 'set DINGTALK_APP_SECRET');
  }
  const agentProblem = agentIdProblem(opts.agentId);
  if (agentProblem !== undefined) throw new UserError(`DingTalk agent_id ${agentProblem}`, 'set DINGTALK_AGENT_ID or app.agent_id');
}

const ISV_FIELDS = [
  ['suiteKey', 'DINGTALK_SUITE_KEY'],
  ['suiteSecret', 'DINGTALK_SUITE_SECRET'],
  ['suiteTicket', 'DINGTALK_SUITE_TICKET'],
  ['corpId', 'DINGTALK_CORP_ID'],
] as const;

/**
 * How many people a send reaches, for pacing: the caller's count when it knows (departments' sizes from a
 * directory), else the userids plus one per department or for to_all_user (a lower bound: the organisation's
 * size is unknown here).
 */
function recipientCount(req: SendRequest | TemplateSendRequest): number {
  if (req.recipients !== undefined) return req.recipients;
  return (req.userids?.length ?? 0) + (req.deptIds?.length ?? 0) + ('toAll' in req && req.toAll ? 1 : 0);
}

/**
 * DingTalk rejects an empty `dept_id_list` and a `to_all_user:false` next to a list, so only the
 * selectors in use are sent, lists joined by commas as every SDK does.
 */
export function buildSendBody(req: SendRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const users = (req.userids ?? []).map((u) => String(u).trim()).filter((u) => u !== '');
  const depts = (req.deptIds ?? []).map((d) => String(d).trim()).filter((d) => d !== '');
  if (users.length > 0) body.userid_list = users.join(',');
  if (depts.length > 0) body.dept_id_list = depts.join(',');
  if (req.toAll === true) body.to_all_user = true;
  if (Object.keys(body).length === 0) throw new RangeError('sendMessage needs userids, deptIds or toAll');
  body.msg = req.msg;
  return body;
}

/** sendbytemplate takes the selectors asyncsend_v2 does (no to_all_user: ISV apps cannot) and `data` as a JSON string. */
export function buildTemplateBody(req: TemplateSendRequest): Record<string, unknown> {
  const body = buildSendBody({ ...(req.userids ? { userids: req.userids } : {}), ...(req.deptIds ? { deptIds: req.deptIds } : {}), msg: {} });
  delete body.msg;
  body.template_id = req.templateId;
  body.data = JSON.stringify(req.data);
  return body;
}
