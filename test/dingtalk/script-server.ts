import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake DingTalk saw it. */
export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined for GET. */
  body: Record<string, unknown> | undefined;
  /** Requests being handled (this one included) when it arrived. */
  inFlight: number;
  arrivedAt: number;
}

/**
 * What to answer: a JSON envelope (once `until` settles, if given: a latch the test opens), raw text, a dropped socket,
 * or nothing at all (to force a timeout).
 */
export type Reply =
  | { json: unknown; status?: number; until?: Promise<unknown> }
  | { text: string; status?: number; contentType?: string }
  | { destroy: true }
  | { hang: true };

export type Script = Record<string, Reply[] | ((seen: Seen) => Reply)>;

export interface ScriptServer {
  url: string;
  seen: Seen[];
  /** Requests to one path, in order. */
  calls(path: string): Seen[];
  /** Resolves once `count` requests to `path` have arrived. */
  whenSeen(path: string, count: number): Promise<void>;
  close(): Promise<void>;
}

/** A latch: `opened` settles when the test calls `open()`. */
export function latch(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

export const SEND = '/topapi/message/corpconversation/asyncsend_v2';
export const PROGRESS = '/topapi/message/corpconversation/getsendprogress';
export const RESULT = '/topapi/message/corpconversation/getsendresult';
export const RECALL = '/topapi/message/corpconversation/recall';
export const STATUS_BAR = '/topapi/message/corpconversation/status_bar/update';
export const GETTOKEN = '/gettoken';

/**
 * A tiny scripted DingTalk on 127.0.0.1:0 for exact sequences. Each path takes its scripted replies in
 * order; once they run out it answers like a healthy DingTalk (tokens `token-1`, `token-2`…, task ids from 1000).
 */
export async function startScriptServer(script: Script = {}): Promise<ScriptServer> {
  const seen: Seen[] = [];
  const watchers: { path: string; count: number; notify: () => void }[] = [];
  let inFlight = 0;
  let tokens = 0;
  let tasks = 1000;
  const fallback = (s: Seen): Reply => {
    if (s.path === GETTOKEN) return { json: { errcode: 0, errmsg: 'ok', access_token: `token-${++tokens}`, expires_in: 7200 } };
    if (s.path === SEND) return { json: { errcode: 0, errmsg: 'ok', task_id: ++tasks, request_id: 'r' } };
    if (s.path === PROGRESS) return { json: { errcode: 0, progress: { progress_in_percent: 100, status: 2 } } };
    if (s.path === RESULT) return { json: { errcode: 0, send_result: {} } };
    return { json: { errcode: 0, errmsg: 'ok' } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    inFlight++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = Buffer.concat(chunks).toString('utf8');
    const s: Seen = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined,
      inFlight,
      arrivedAt: performance.now(),
    };
    seen.push(s);
    for (const w of watchers.splice(0)) {
      if (seen.filter((x) => x.path === w.path).length >= w.count) w.notify();
      else watchers.push(w);
    }
    const entry = script[s.path];
    const reply = typeof entry === 'function' ? entry(s) : (entry?.shift() ?? fallback(s));
    if ('hang' in reply) return; // never answers; closeAllConnections ends it
    if ('destroy' in reply) {
      inFlight--;
      req.socket.destroy();
      return;
    }
    if ('json' in reply && reply.until) await reply.until;
    inFlight--;
    const [status, type, body] = 'json' in reply
      ? [reply.status ?? 200, 'application/json;charset=utf-8', JSON.stringify(reply.json)]
      : [reply.status ?? 200, reply.contentType ?? 'text/html;charset=utf-8', reply.text];
    res.writeHead(status, { 'content-type': type }).end(body);
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    calls: (path) => seen.filter((s) => s.path === path),
    whenSeen: (path, count) =>
      seen.filter((s) => s.path === path).length >= count ? Promise.resolve() : new Promise<void>((notify) => watchers.push({ path, count, notify })),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const APP = { appKey: 'test-app-key', appSecret: 'test-app-secret-XYZ', agentId: 123456789 };

/** Retry settings that keep tests fast; the defaults (≥ 1 s for 90018) are tested on their own. */
export const FAST = { retryBaseMs: 5, retryMaxMs: 20, throttleWaitMs: 10, minuteWaitMs: 10, ipBanWaitMs: 10 };
