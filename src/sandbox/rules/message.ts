import { checkMsgRecipients, checkMsgShape, formatMsgPath, MSG_BYTE_LIMIT, msgBytes } from '../../core/msg/index.js';
import type { ApiError, AppKind } from '../types.js';
import type { Selectors } from './selectors.js';

/**
 * `msg` arrives as an object (JSON body) or as a JSON string (form body, as in the official curl samples).
 * Missing → 40035; a string that is not JSON → 47001 (JSON parse error).
 */
export function readMsg(raw: unknown): Record<string, unknown> | ApiError {
  if (raw === undefined || raw === null || raw === '') return { errcode: 40035, errmsg: '缺少参数 msg' };
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw) as unknown;
    } catch {
      return { errcode: 47001, errmsg: 'msg: JSON格式错误 (json parse error)' };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { errcode: 40035, errmsg: '不合法的参数: msg 必须是JSON对象' };
  }
  return value as Record<string, unknown>;
}

/**
 * The msg rules are the core's (src/core/msg), shared with `dingcast validate`: the sandbox answers with
 * the errcode each problem carries. Size first, as DingTalk checks the 2048 bytes before the fields.
 */
export function checkMessage(msg: Record<string, unknown>, selectors: Selectors, kind: AppKind): ApiError | null {
  const bytes = msgBytes(msg);
  if (bytes > MSG_BYTE_LIMIT) return { errcode: 45002, errmsg: `消息内容超过限制: ${bytes} > ${MSG_BYTE_LIMIT} bytes` };
  const problems = [
    ...checkMsgShape(msg),
    ...checkMsgRecipients(msg, { users: selectors.users, departments: selectors.depts, all: selectors.all }, kind),
  ];
  // An unknown msgtype also makes its payload key "unknown"; DingTalk names the msgtype (40008).
  const first = problems.find((p) => p.errcode === 40008) ?? problems[0];
  return first ? { errcode: first.errcode, errmsg: `${formatMsgPath(first.path)}: ${first.message}` } : null;
}
