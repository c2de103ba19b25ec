import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleAdmin } from './admin.js';
import { readParams } from './body.js';
import { appOf, dayKey, type Emulator } from './context.js';
import { CONTACTS_PATHS, isContactsPath, type ContactsPath } from './endpoints/contacts.js';
import { getCorpToken } from './endpoints/corptoken.js';
import { getToken } from './endpoints/gettoken.js';
import { uploadMedia } from './endpoints/media.js';
import { sendByTemplate, sendMessage } from './endpoints/send.js';
import { getSendProgress, getSendResult, recallMessage, updateStatusBar } from './endpoints/tasks.js';
import { MalformedRequest } from './guard.js';
import { handleInboxPage } from './inbox.js';
import { admitCall, RATE_LIMITED } from './rules/rate.js';
import { admitMetered, QUOTA_USED_UP } from './rules/monthly-quota.js';
import { isError } from './rules/selectors.js';
import { authenticate } from './rules/token.js';
import type { Answer, Endpoint, SandboxApp } from './types.js';
import { stringifyExact } from '../exactJson.js';

type TopApi = Exclude<Endpoint, 'gettoken' | 'get_corp_token' | 'media/upload'>;
type Handler = (emu: Emulator, app: SandboxApp, params: Record<string, unknown>) => Answer;

const TOPAPI_PREFIX = '/topapi/message/corpconversation/';
const HANDLERS: Record<TopApi, Handler> = {
  asyncsend_v2: sendMessage,
  sendbytemplate: sendByTemplate,
  getsendprogress: getSendProgress,
  getsendresult: getSendResult,
  recall: recallMessage,
  'status_bar/update': updateStatusBar,
};

export function createSandboxServer(emu: Emulator): Server {
  const server = createServer((req, res) => {
    route(emu, req, res).catch((err: unknown) => {
      if (err instanceof MalformedRequest) {
        const text = JSON.stringify({ errcode: 400, errmsg: `malformed request: ${err.message}` });
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
        return res.end(text);
      }
      // A sandbox bug must be loud, not disguised as a DingTalk answer the client might retry.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`dingcast sandbox bug: ${message}`);
    });
  });
  server.keepAliveTimeout = 10_000;
  return server;
}

async function route(emu: Emulator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://sandbox.local');
  } catch {
    throw new MalformedRequest(`unreadable request target ${JSON.stringify((req.url ?? '').slice(0, 80))}`);
  }
  const path = url.pathname;
  if (path.startsWith('/__admin/')) return handleAdmin(emu, req, res, url);
  if (path === '/' || path === '/inbox' || path.startsWith('/inbox/')) return handleInboxPage(emu, res, url);
  if (isContactsPath(path)) return sendJson(res, 200, await answerContacts(emu, path, req, url), emu);
  const endpoint = endpointOf(path);
  if (endpoint === null) {
    emu.state.record({ endpoint: 'unknown', at: emu.clock.now(), errcode: null });
    return sendJson(res, 404, { errcode: 404, errmsg: `no such API: ${path}` }, emu);
  }

  const fault = emu.faults.take(endpoint);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  if (fault.hold?.phase === 'before') await emu.latches.hold(fault.hold.name);
  const at = emu.clock.now();
  // What DingTalk no longer answers for is forgotten (7-day tasks, expired tokens, yesterday's counters kept).
  emu.state.forget(at, dayKey(emu, at - 24 * 3_600_000));
  const action = fault.action;
  if (action?.kind === 'drop') {
    emu.state.record({ endpoint, at, errcode: null });
    req.socket.destroy();
    return;
  }
  if (action?.kind === 'http' || action?.kind === 'ip-ban') {
    emu.state.record({ endpoint, at, errcode: null });
    return sendFaultPage(res, action);
  }
  const injected = action?.kind === 'errcode' ? { errcode: action.errcode, errmsg: action.errmsg } : null;
  const answer = injected ?? (await answerCall(emu, endpoint, req, url));
  emu.state.record({ endpoint, at, errcode: answer.errcode });
  if (fault.hold?.phase === 'after') await emu.latches.hold(fault.hold.name);
  if (action?.kind === 'drop-answer') {
    // The call took effect (a send delivered); only its answer is lost, as when a connection breaks mid-reply.
    req.socket.destroy();
    return;
  }
  sendJson(res, 200, answer, emu);
}

/** An HTTP error page, or DingTalk's per-IP ban answer: `{"status":1111,...}` or an HTML page, never an envelope [D LIMITS]. */
function sendFaultPage(res: ServerResponse, action: { kind: 'http'; status: number } | { kind: 'ip-ban'; style: 'json' | 'html' }): void {
  const [status, type, text] =
    action.kind === 'http'
      ? [action.status, 'text/html; charset=utf-8', `<html><body><h1>${action.status}</h1>injected by dingcast sandbox</body></html>`]
      : action.style === 'json'
        ? [200, 'application/json;charset=UTF-8', JSON.stringify({ status: 1111, wait: 5, source: 'x5', punish: 'deny', uuid: 'sandbox' })]
        : [200, 'text/html; charset=utf-8', '<!DOCTYPE html><html><head><title>访问被拒绝</title></head><body>您的访问过于频繁 (dingcast sandbox IP ban)</body></html>'];
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function answerCall(emu: Emulator, endpoint: Endpoint, req: IncomingMessage, url: URL): Promise<Answer> {
  if (endpoint === 'gettoken') {
    if (req.method !== 'GET') return { errcode: 43001, errmsg: '需要GET请求' };
    return getToken(emu, url.searchParams);
  }
  if (req.method !== 'POST') return { errcode: 43002, errmsg: '需要POST请求' };
  if (endpoint === 'get_corp_token') {
    const params = await readParams(req);
    return isError(params) ? params : getCorpToken(emu, url.searchParams, params);
  }
  // A multipart body, not JSON or a form; its own size limit (20 MB files). Metered like the message APIs
  // (only tokens, login and contacts are exempt [D EXEMPT]), once its token is good.
  if (endpoint === 'media/upload') {
    if ('errcode' in authenticate(url, emu.state.tokens, emu.clock.now())) return uploadMedia(emu, req, url);
    return monthlyQuotaUsedUp(emu) ?? uploadMedia(emu, req, url);
  }
  const params = await readParams(req);
  const record = authenticate(url, emu.state.tokens, emu.clock.now());
  if ('errcode' in record) return record;
  if (isError(params)) return params;

  // QPS is real time, not the sandbox clock: a frozen test clock must not make every 21st call fail.
  const key = `${record.appkey}|${endpoint}`;
  const { admitted, window } = admitCall(emu.state.rate.get(key) ?? [], performance.now(), emu.config.tunables.qpsPerApi);
  emu.state.rate.set(key, window);
  if (!admitted) return { ...RATE_LIMITED };
  return monthlyQuotaUsedUp(emu) ?? HANDLERS[endpoint](emu, appOf(emu, record.appkey), params);
}

/** Counts one metered call; 90020 once the quota is used up. By the sandbox clock's calendar month, for the whole organisation (all its apps). */
function monthlyQuotaUsedUp(emu: Emulator): Answer | undefined {
  const month = dayKey(emu, emu.clock.now()).slice(0, 7);
  const metered = admitMetered(emu.state.monthCalls.get(month) ?? 0, emu.config.tunables.monthlyCallQuota);
  emu.state.monthCalls.set(month, metered.used);
  return metered.admitted ? undefined : { ...QUOTA_USED_UP };
}

/** Contacts APIs: token-checked like the rest; no faults, no QPS cap and no quota (DingTalk exempts them). */
async function answerContacts(emu: Emulator, path: ContactsPath, req: IncomingMessage, url: URL): Promise<Answer> {
  if (req.method !== 'POST') return { errcode: 43002, errmsg: '需要POST请求' };
  const params = await readParams(req);
  const record = authenticate(url, emu.state.tokens, emu.clock.now());
  if ('errcode' in record) return record;
  if (isError(params)) return params;
  return CONTACTS_PATHS[path](emu, params);
}

function endpointOf(path: string): Endpoint | null {
  if (path === '/gettoken') return 'gettoken';
  if (path === '/service/get_corp_token') return 'get_corp_token';
  if (path === '/media/upload') return 'media/upload';
  if (!path.startsWith(TOPAPI_PREFIX)) return null;
  const name = path.slice(TOPAPI_PREFIX.length);
  return Object.hasOwn(HANDLERS, name) ? (name as TopApi) : null;
}

function sendJson(res: ServerResponse, status: number, answer: Answer, emu: Emulator): void {
  const text = stringifyExact({ ...answer, request_id: emu.state.newRequestId() });
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
