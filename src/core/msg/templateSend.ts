import { checkMsgShape } from './check.js';
import { ERRCODE, problem, type MsgProblem } from './problem.js';
import { checkMsgRecipients, type AppKind, type Recipients } from './recipients.js';
import { record } from './rules.js';
import { checkMsgSize } from './size.js';
import { checkMsgAdvice } from './advice.js';

/**
 * A send through sendbytemplate (ISV apps): a template reviewed in DingTalk's console, filled with `data`. dingcast
 * carries it as a msg of its own kind, `{msgtype: 'sendbytemplate', sendbytemplate: {template_id, data}}`, so that
 * rendering, the identity hash, the ledger's exact bytes and previews work as for any msg. It is never sent as a
 * msg: apply sends `template_id` and `data` (as DingTalk's JSON string) to sendbytemplate. DingTalk's asyncsend_v2
 * does not know this msgtype, so the sandbox refuses it there (checkMsgShape is unchanged).
 */
export const TEMPLATE_SEND = 'sendbytemplate';

export interface TemplateSendMsg {
  msgtype: typeof TEMPLATE_SEND;
  sendbytemplate: { template_id: string; data: Record<string, string> };
}

/** DingTalk's answer when the template does not exist for this app (internal apps have none) [D TEMPLATE_SEND]. */
export const TEMPLATE_NOT_FOUND = 885001;

export function isTemplateSend(msg: unknown): msg is TemplateSendMsg {
  return record(msg)?.msgtype === TEMPLATE_SEND;
}

/** What sendbytemplate's body carries besides the recipients: `data` goes as a JSON string. */
export function templateSendBody(msg: TemplateSendMsg): { templateId: string; data: Record<string, string> } {
  return { templateId: msg.sendbytemplate.template_id, data: msg.sendbytemplate.data };
}

/** The `data` parameter exactly as sent, and its UTF-8 size. DingTalk documents no limit for it. */
export function templateDataJson(msg: TemplateSendMsg): { json: string; bytes: number } {
  const json = JSON.stringify(msg.sendbytemplate.data);
  return { json, bytes: Buffer.byteLength(json, 'utf8') };
}

/** The shape the rendered template must have: a template id and string fields (DingTalk: keys and values are strings). */
export function checkTemplateSendShape(msg: unknown): MsgProblem[] {
  const root = record(msg);
  const body = record(root?.sendbytemplate);
  if (!root || !body) return [problem('msg/bad-template-send', [], ERRCODE.invalidParameter, 'a sendbytemplate msg needs `sendbytemplate: {template_id, data}`')];
  const out: MsgProblem[] = [];
  for (const key of Object.keys(root)) {
    if (key !== 'msgtype' && key !== TEMPLATE_SEND) out.push(problem('msg/unknown-key', [key], ERRCODE.invalidParameter, `unknown key \`${key}\` beside sendbytemplate`));
  }
  for (const key of Object.keys(body)) {
    if (key !== 'template_id' && key !== 'data') out.push(problem('msg/unknown-key', [TEMPLATE_SEND, key], ERRCODE.invalidParameter, `unknown key \`${key}\` in sendbytemplate`, 'sendbytemplate has `template_id` and `data`.'));
  }
  const id = body.template_id;
  if (typeof id !== 'string' || id.trim() === '') {
    out.push(problem('msg/missing-field', [TEMPLATE_SEND, 'template_id'], ERRCODE.invalidParameter, 'sendbytemplate.template_id is empty', 'Give the id DingTalk\'s console shows for the reviewed template.'));
  } else if (/\s/.test(id)) {
    out.push(problem('msg/bad-template-id', [TEMPLATE_SEND, 'template_id'], TEMPLATE_NOT_FOUND, `sendbytemplate.template_id \`${id}\` contains white space; DingTalk's template ids do not`, 'Copy the id from DingTalk\'s console (消息模板).'));
  }
  const data = record(body.data);
  if (!data) {
    out.push(problem('msg/missing-field', [TEMPLATE_SEND, 'data'], ERRCODE.invalidParameter, 'sendbytemplate.data must be a map of the template\'s fields', 'Write `data: { field: "value" }`.'));
    return out;
  }
  for (const [key, value] of Object.entries(data)) {
    if (key.trim() === '') out.push(problem('msg/bad-template-field', [TEMPLATE_SEND, 'data', key], ERRCODE.invalidParameter, 'sendbytemplate.data has a field with an empty name'));
    if (typeof value !== 'string') out.push(problem('msg/bad-type', [TEMPLATE_SEND, 'data', key], ERRCODE.invalidParameter, `sendbytemplate.data.${key} must be a string; DingTalk's template fields are strings`, `Quote the value: "${String(value)}".`));
  }
  return out;
}

/** Accepted but shown badly: template markdown has no line breaks (dingtalk-api.md §2.7, TEMPLATES). */
export function checkTemplateSendAdvice(msg: unknown): MsgProblem[] {
  const data = record(record(record(msg)?.sendbytemplate)?.data) ?? {};
  return Object.entries(data)
    .filter(([, v]) => typeof v === 'string' && v.includes('\n'))
    .map(([key]) => problem('msg/template-newline', [TEMPLATE_SEND, 'data', key], ERRCODE.invalidParameter, `sendbytemplate.data.${key} holds a line break; DingTalk's template messages show no line breaks (no \\n, headings or images in template markdown)`, 'Keep each field on one line, or make separate fields in the template.'));
}

/** Only ISV apps have templates, and sendbytemplate has no to_all_user. */
export function checkTemplateSendRecipients(to: Recipients, appKind: AppKind): MsgProblem[] {
  const out: MsgProblem[] = [];
  if (appKind !== 'isv') {
    out.push(problem('msg/template-send-internal', [], TEMPLATE_NOT_FOUND, `sendbytemplate is for ISV (third-party) apps, and this project's app.kind is internal: DingTalk answers ${TEMPLATE_NOT_FOUND} (template not found)`, 'Use a template with `msg:` (asyncsend_v2) for an internal app, or set `app.kind: isv` if this is a third-party app.'));
  }
  if (to.all) out.push(problem('msg/template-send-all', [], ERRCODE.invalidParameter, 'sendbytemplate cannot send to all users (it has no to_all_user)', 'List users or departments instead of all: true.'));
  return out;
}

/** Whichever API the msg goes through: checkMsgShape for DingTalk's msgtypes, the template rules for sendbytemplate. */
export function checkSendShape(msg: unknown): MsgProblem[] {
  return isTemplateSend(msg) ? checkTemplateSendShape(msg) : checkMsgShape(msg);
}

/** The 2048-byte limit is asyncsend_v2's; DingTalk documents none for sendbytemplate's data. */
export function checkSendSize(msg: unknown): MsgProblem[] {
  return isTemplateSend(msg) ? [] : checkMsgSize(msg);
}

export function checkSendRecipients(msg: unknown, to: Recipients, appKind: AppKind): MsgProblem[] {
  return isTemplateSend(msg) ? checkTemplateSendRecipients(to, appKind) : checkMsgRecipients(msg, to, appKind);
}

export function checkSendAdvice(msg: unknown): MsgProblem[] {
  return isTemplateSend(msg) ? checkTemplateSendAdvice(msg) : checkMsgAdvice(msg);
}
