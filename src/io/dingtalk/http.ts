import { FormData, request, type Dispatcher } from 'undici';
import { parseExact, stringifyExact } from '../../exactJson.js';
import { DingTalkTransportError, type TransportDetails } from './errors.js';
import { scrubSecrets } from './redact.js';

/** Every oapi answer carries errcode/errmsg; the rest depends on the endpoint. */
export interface Envelope {
  errcode: number;
  errmsg: string;
  sub_code?: string;
  request_id?: string;
  [key: string]: unknown;
}

export interface HttpContext {
  dispatcher: Dispatcher;
  baseUrl: string;
  timeoutMs: number;
  /** Values that must never appear in an error message (token, app secret). */
  secrets: () => readonly (string | undefined)[];
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CLOSED_CODES = new Set(['UND_ERR_CLOSED', 'UND_ERR_DESTROYED']);

/** One HTTP exchange, no retries. Resolves with the JSON envelope (errcode may be != 0) or throws a transport error. */
export async function callOnce(
  ctx: HttpContext,
  method: 'GET' | 'POST',
  path: string,
  query: Record<string, string>,
  body?: object | FormData,
): Promise<Envelope> {
  const url = `${ctx.baseUrl}${path}?${new URLSearchParams(query).toString()}`;
  const fail = (detail: string, details: TransportDetails): DingTalkTransportError =>
    new DingTalkTransportError(path, scrubSecrets(detail, ctx.secrets()), details);
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  let status: number;
  let contentType: string;
  let text: string;
  try {
    const res = await request(url, {
      dispatcher: ctx.dispatcher,
      method,
      signal,
      // A multipart upload (media/upload) sets its own content type with the boundary.
      headers: body && !(body instanceof FormData) ? { 'content-type': 'application/json;charset=utf-8', accept: 'application/json' } : { accept: 'application/json' },
      body: body instanceof FormData ? body : body ? stringifyExact(body) : undefined,
    });
    status = res.statusCode;
    contentType = String(res.headers['content-type'] ?? '');
    text = await res.body.text();
  } catch (err) {
    throw fail(...describeSocketError(err, signal.aborted, ctx.timeoutMs));
  }
  return parseEnvelope(text, status, contentType, fail);
}

function describeSocketError(err: unknown, timedOut: boolean, timeoutMs: number): [string, TransportDetails] {
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (timedOut || (code && TIMEOUT_CODES.has(code)) || e.name === 'TimeoutError') {
    return [`no answer within ${timeoutMs} ms`, { kind: 'timeout', code, retryable: true }];
  }
  if (code && CONNECT_CODES.has(code)) return [`cannot connect: ${message}`, { kind: 'connect', code, retryable: true }];
  if (code && CLOSED_CODES.has(code)) return [`client closed: ${message}`, { kind: 'closed', code, retryable: false }];
  return [`connection failed: ${message}${code ? ` (${code})` : ''}`, { kind: 'network', code, retryable: true }];
}

function parseEnvelope(
  text: string,
  status: number,
  contentType: string,
  fail: (detail: string, details: TransportDetails) => DingTalkTransportError,
): Envelope {
  let json: unknown;
  try {
    // A 64-bit id (a department) beyond 2^53 comes back as its digits, not as another number.
    json = parseExact(text);
  } catch {
    json = undefined;
  }
  const obj = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : undefined;
  // DingTalk's per-IP ban answers `{"status":1111,"wait":5,...}` or an HTML page instead of an envelope.
  if (obj && obj.status === 1111) {
    return raise(`IP banned by DingTalk (status 1111, wait ${typeof obj.wait === 'number' ? obj.wait : '?'})`, 'ip-ban', true);
  }
  if (obj && typeof obj.errcode === 'number') return obj as Envelope;
  const looksHtml = /html/i.test(contentType) || /^\s*</.test(text);
  if (status >= 500) return raise(`HTTP ${status}`, 'http-status', true);
  if (looksHtml && (status < 300 || status === 403 || status === 429)) {
    return raise(`HTTP ${status} with an HTML page (DingTalk IP ban?)`, 'ip-ban', true);
  }
  if (status === 429) return raise(`HTTP 429`, 'http-status', true);
  if (status >= 400) return raise(`HTTP ${status}`, 'http-status', false);
  return raise(`HTTP ${status} without a DingTalk envelope: ${JSON.stringify(text.slice(0, 80))}`, 'not-json', true);

  function raise(detail: string, kind: TransportDetails['kind'], retryable: boolean): never {
    throw fail(detail, { kind, status, retryable });
  }
}
