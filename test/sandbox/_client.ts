// Talks to a sandbox over a real loopback socket with undici, the way dingcast's client does.
import { request } from 'undici';
import type { Sandbox } from '../../src/sandbox/index.js';

export const APP = { appkey: 'sandbox-app-key', appsecret: 'sandbox-app-secret', agent_id: 100000001 };
export const T0 = new Date('2026-03-16T01:00:00Z'); // 09:00 on a Monday in Asia/Shanghai

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A DingTalk answer; task_id is there after a successful asyncsend_v2. */
export interface Answer extends Json {
  errcode: number;
  errmsg: string;
  task_id?: number;
}

export async function getJson(sb: Sandbox, path: string): Promise<Json> {
  const res = await request(`${sb.url}${path}`);
  return (await res.body.json()) as Json;
}

export async function token(sb: Sandbox, app: { appkey: string; appsecret: string } = APP): Promise<string> {
  const answer = await getJson(sb, `/gettoken?appkey=${encodeURIComponent(app.appkey)}&appsecret=${encodeURIComponent(app.appsecret)}`);
  if (answer.errcode !== 0) throw new Error(`gettoken failed: ${JSON.stringify(answer)}`);
  return answer.access_token as string;
}

export interface CallOptions {
  token?: string | null; // null: no access_token at all
  form?: boolean;
}

/** POSTs to /topapi/message/corpconversation/<endpoint>, JSON by default, form-encoded with `form: true`. */
export async function call(sb: Sandbox, endpoint: string, body: Json, opts: CallOptions = {}): Promise<Answer> {
  const tok = opts.token === undefined ? await token(sb) : opts.token;
  const query = tok === null ? '' : `?access_token=${encodeURIComponent(tok)}`;
  const res = await request(`${sb.url}/topapi/message/corpconversation/${endpoint}${query}`, {
    method: 'POST',
    headers: { 'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json;charset=utf-8' },
    body: opts.form ? formBody(body) : JSON.stringify(body),
  });
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${await res.body.text()}`);
  return (await res.body.json()) as Answer;
}

function formBody(body: Json): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) params.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return params.toString();
}

export const text = (content: string): Json => ({ msgtype: 'text', text: { content } });

/** Sends a text to `userid_list` and returns the answer. */
export async function send(sb: Sandbox, body: Json, opts: CallOptions = {}): Promise<Answer> {
  return call(sb, 'asyncsend_v2', { agent_id: APP.agent_id, msg: text('hello'), ...body }, opts);
}

/** Moves the sandbox clock past any task's processing time. */
export function finishTasks(sb: Sandbox): void {
  sb.clock.advance(60_000);
}

export async function result(sb: Sandbox, taskId: number): Promise<Json> {
  const answer = await call(sb, 'getsendresult', { agent_id: APP.agent_id, task_id: taskId });
  if (answer.errcode !== 0) throw new Error(`getsendresult failed: ${JSON.stringify(answer)}`);
  return answer.send_result as Json;
}
