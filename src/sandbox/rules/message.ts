import type { ApiError, AppKind } from '../types.js';
import { ERRCODES, MSG_LIMITS, MSG_TABLE, type FieldRule } from './msgTable.js';
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
 * Judges a msg by the sandbox's own table of DingTalk's documented rules (msgTable.ts), never by the client's
 * src/core/msg, so an end-to-end test can catch a wrong rule on either side. Size first, as DingTalk checks the
 * 2048 bytes before the fields; then the msgtype, each documented field, the action_card style, the recipients.
 */
export function checkMessage(msg: Record<string, unknown>, selectors: Selectors, kind: AppKind): ApiError | null {
  const bytes = Buffer.byteLength(JSON.stringify(msg), 'utf8');
  if (bytes > MSG_LIMITS.msgBytes) return { errcode: ERRCODES.tooLarge, errmsg: `消息内容超过限制: ${bytes} > ${MSG_LIMITS.msgBytes} bytes` };
  return checkMsgFields(msg) ?? recipientsError(msg, selectors, kind);
}

/** The msg on its own, by `table` (the documented one; a test passes a changed copy to show a disagreement is caught). */
export function checkMsgFields(msg: Record<string, unknown>, table: Readonly<Record<string, readonly FieldRule[]>> = MSG_TABLE, limits: { buttonListJsonChars: number } = MSG_LIMITS): ApiError | null {
  const type = msg.msgtype;
  if (typeof type !== 'string' || type === '') return invalid('缺少参数 msgtype');
  const rules = table[type];
  if (!rules) return { errcode: ERRCODES.unknownMsgtype, errmsg: `不支持的消息类型 (invalid msgtype): ${type}` };
  const extra = Object.keys(msg).find((k) => k !== 'msgtype' && k !== type);
  if (extra !== undefined) return invalid(`msg.${extra}: 不支持的字段 (msgtype is ${type})`);
  const root = rules.find((r) => r.path.length === 1)!;
  if (msg[type] === undefined) return invalid(`缺少参数 ${type}`);
  return checkField(msg[type], root, rules, type) ?? actionCardStyle(msg, limits.buttonListJsonChars);
}

function checkField(value: unknown, rule: FieldRule, rules: readonly FieldRule[], shown: string): ApiError | null {
  if (!hasType(value, rule.type)) return invalid(`${shown}: 应为 ${rule.type}`);
  if (typeof value === 'string') return checkString(value, rule, shown);
  const children = rules.filter((r) => r.path.length === rule.path.length + 1 && rule.path.every((step, i) => r.path[i] === step));
  if (Array.isArray(value)) {
    const element = children.find((c) => c.path.at(-1) === '[]');
    for (const [i, item] of value.entries()) {
      const error = element ? checkField(item, element, rules, `${shown}[${i}]`) : null;
      if (error) return error;
    }
    return null;
  }
  const object = value as Record<string, unknown>;
  const known = new Set(children.map((c) => c.path.at(-1)));
  const unknown = Object.keys(object).find((k) => !known.has(k));
  if (unknown !== undefined) return invalid(`${shown}.${unknown}: 不支持的字段`);
  for (const child of children) {
    const key = child.path.at(-1)!;
    const error = object[key] === undefined ? (child.required ? invalid(`缺少参数 ${shown}.${key}`) : null) : checkField(object[key], child, rules, `${shown}.${key}`);
    if (error) return error;
  }
  return null;
}

function checkString(value: string, rule: FieldRule, shown: string): ApiError | null {
  if (rule.required && value === '') return invalid(`${shown}: 不能为空`);
  const chars = [...value].length;
  if (rule.maxChars !== undefined && chars > rule.maxChars) return { errcode: ERRCODES.tooLong, errmsg: `消息内容过长: ${shown} ${chars} > ${rule.maxChars}` };
  if (rule.pattern && !rule.pattern.test(value)) return invalid(`${shown}: 格式不正确`);
  if (rule.values && !rule.values.includes(value)) return invalid(`${shown}: 只能是 ${rule.values.join(' 或 ')}`);
  return null;
}

/** One whole-card button (single_title + single_url) or a button list (btn_orientation + btn_json_list), never both. */
function actionCardStyle(msg: Record<string, unknown>, maxListChars: number): ApiError | null {
  if (msg.msgtype !== 'action_card') return null;
  const card = msg.action_card as Record<string, unknown>;
  const single = 'single_title' in card || 'single_url' in card;
  const list = 'btn_orientation' in card || 'btn_json_list' in card;
  if (single === list) return invalid('action_card: 需要 single_title + single_url 或 btn_orientation + btn_json_list 之一');
  const missing = (single ? ['single_title', 'single_url'] : ['btn_orientation', 'btn_json_list']).find((k) => !(k in card));
  if (missing !== undefined) return invalid(`缺少参数 action_card.${missing}`);
  if (!list) return null;
  const buttons = card.btn_json_list as unknown[];
  if (buttons.length === 0) return invalid('action_card.btn_json_list: 不能为空');
  const chars = [...JSON.stringify(buttons)].length;
  return chars > maxListChars ? { errcode: ERRCODES.tooLong, errmsg: `消息内容过长: action_card.btn_json_list ${chars} > ${maxListChars}` } : null;
}

function recipientsError(msg: Record<string, unknown>, selectors: Selectors, kind: AppKind): ApiError | null {
  if (kind === 'isv' && selectors.all) return { errcode: ERRCODES.isvToAll, errmsg: 'ISV应用不能发送给全员 (to_all_user)' };
  const statusBar = msg.msgtype === 'oa' && (msg.oa as Record<string, unknown>).status_bar !== undefined;
  if (statusBar && (new Set(selectors.users).size > MSG_LIMITS.statusBarUsers || selectors.depts.length > 0 || selectors.all)) {
    return { errcode: ERRCODES.parameterError, errmsg: `OA消息状态栏只能发送给不超过${MSG_LIMITS.statusBarUsers}个userid, 不能发送给部门或全员` };
  }
  return null;
}

function hasType(value: unknown, type: FieldRule['type']): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === 'string';
}

function invalid(errmsg: string): ApiError {
  return { errcode: ERRCODES.invalidParameter, errmsg: `不合法的参数: ${errmsg}` };
}
