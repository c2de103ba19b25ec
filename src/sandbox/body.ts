import type { IncomingMessage } from 'node:http';
import { parseExact } from '../exactJson.js';
import type { ApiError } from './types.js';

const MAX_BODY = 1 << 20;

/**
 * Request parameters from a POST body. DingTalk takes JSON (what most wrappers send) and
 * application/x-www-form-urlencoded (the official curl samples, with `msg` as a JSON string).
 * Another Content-Type → 43004; JSON that does not parse → 47001; an empty body → no parameters,
 * so the endpoint's own "missing parameter" rules answer.
 */
export async function readParams(req: IncomingMessage): Promise<Record<string, unknown> | ApiError> {
  const text = await readBody(req);
  if (text === null) return { errcode: 40035, errmsg: '不合法的参数: 请求体过大' };
  if (text.trim() === '') return {};
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type === 'text/json') {
    try {
      // A dept_id beyond 2^53 sent as a JSON number arrives as its exact digits.
      const value: unknown = parseExact(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
      return { errcode: 43009, errmsg: 'post参数需要json类型 (body must be a JSON object)' };
    } catch {
      return { errcode: 47001, errmsg: '数据格式错误 (json parse error)' };
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  return { errcode: 43004, errmsg: `无效的HTTP HEADER Content-Type: ${type || '(none)'}` };
}

/** The body as text, or null past MAX_BODY. Events, not `for await`: this is the hot path of every call. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.once('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
