import { formatMsgPath, problem, type MsgProblem } from './problem.js';
import { record } from './rules.js';

/** DingTalk accepts these msgs but shows them badly, so they are warnings, never refusals: the sandbox
 * must not call this, and errcode is 0 because the real API answers OK. */
const RECOMMENDED_MAX_CHARS: [path: string[], max: number][] = [
  [['text', 'content'], 500],
  [['link', 'title'], 100],
  [['link', 'text'], 500],
  [['oa', 'body', 'title'], 50],
  [['action_card', 'markdown'], 1000],
];

export const OA_FORM_SHOWN_ROWS = 6;

/** Texts longer than DingTalk's documented recommendation. */
export function recommendedLengths(msg: unknown): MsgProblem[] {
  return RECOMMENDED_MAX_CHARS.flatMap(([path, max]) => {
    const value = valueAt(msg, path);
    const chars = typeof value === 'string' ? [...value].length : 0;
    if (chars <= max) return [];
    return [problem('msg/over-recommended', path, 0,
      `${formatMsgPath(path)} is ${chars} characters; DingTalk recommends at most ${max} and may cut it off`)];
  });
}

/** OA forms show 6 rows; the rest are silently hidden. */
export function oaFormRowsShown(msg: unknown): MsgProblem[] {
  const form = valueAt(msg, ['oa', 'body', 'form']);
  if (!Array.isArray(form) || form.length <= OA_FORM_SHOWN_ROWS) return [];
  return [problem('msg/hidden-rows', ['oa', 'body', 'form', OA_FORM_SHOWN_ROWS], 0,
    `oa.body.form has ${form.length} rows; DingTalk shows only the first ${OA_FORM_SHOWN_ROWS}`,
    'Merge rows or move details behind message_url.')];
}

/** HTML tags render on PC but blank the whole message on mobile. */
export function markdownWithoutHtml(msg: unknown): MsgProblem[] {
  return [['markdown', 'text'], ['action_card', 'markdown']].flatMap((path) => {
    const value = valueAt(msg, path);
    const tag = typeof value === 'string' ? /<\/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?\/?>/.exec(value) : null;
    if (tag === null) return [];
    return [problem('msg/markdown-html', path, 0, `${formatMsgPath(path)} contains the HTML tag ${tag[0]}`,
      'DingTalk mobile shows a blank message for HTML; use Markdown only.')];
  });
}

/** oa.head.text ≤ 10 is only an SDK comment [O TopSdk] (dingtalk-api.md, top list), and for work notifications
 * DingTalk shows the app name instead: a warning, never a refusal. */
export const OA_HEAD_TEXT_SDK_MAX_CHARS = 10;

export function oaHeadTextLength(msg: unknown): MsgProblem[] {
  const value = valueAt(msg, ['oa', 'head', 'text']);
  const chars = typeof value === 'string' ? [...value].length : 0;
  if (chars <= OA_HEAD_TEXT_SDK_MAX_CHARS) return [];
  return [problem('msg/over-recommended', ['oa', 'head', 'text'], 0,
    `oa.head.text is ${chars} characters; the SDK says at most ${OA_HEAD_TEXT_SDK_MAX_CHARS} (DingTalk shows the app name there for work notifications)`,
    'Keep it short; it is replaced by the app name anyway.')];
}

/** TYPES marks status_value optional and gives status_bg "0xFF + 6 hex" only as a recommendation (dingtalk-api.md,
 * top list): both are warnings. A status bar without status_value shows no status. */
export function oaStatusBarAdvice(msg: unknown): MsgProblem[] {
  const bar = record(valueAt(msg, ['oa', 'status_bar']));
  if (bar === undefined) return [];
  const out: MsgProblem[] = [];
  if (typeof bar.status_value !== 'string' || bar.status_value === '') {
    out.push(problem('msg/status-bar-empty', ['oa', 'status_bar'], 0, 'oa.status_bar has no status_value, so it shows no status',
      'Give status_value (e.g. 待审批), or drop status_bar.'));
  }
  if (typeof bar.status_bg === 'string' && !/^0x[Ff]{2}[0-9A-Fa-f]{6}$/.test(bar.status_bg)) {
    out.push(problem('msg/status-bg-format', ['oa', 'status_bar', 'status_bg'], 0,
      `oa.status_bar.status_bg \`${bar.status_bg}\` is not in DingTalk's recommended form 0xFF + six hex digits`,
      'Write e.g. 0xFF78C06E (approved) or 0xFFF65E5E (rejected).'));
  }
  return out;
}

/** TYPES marks form `key` and `value` optional; a row without one of them shows half a row. */
export function oaFormRowsComplete(msg: unknown): MsgProblem[] {
  const form = valueAt(msg, ['oa', 'body', 'form']);
  if (!Array.isArray(form)) return [];
  return form.flatMap((row, i) => {
    const r = record(row);
    const missing = ['key', 'value'].filter((k) => r !== undefined && typeof r[k] !== 'string');
    if (r === undefined || missing.length === 0) return [];
    return [problem('msg/form-row-incomplete', ['oa', 'body', 'form', i], 0, `oa.body.form[${i}] has no ${missing.join(' and ')}`,
      'Give each row a key (e.g. 申请人：) and a value.')];
  });
}

/** TYPES marks action_card.title optional, but it is what the conversation list shows; other sources require it. */
export function actionCardTitle(msg: unknown): MsgProblem[] {
  const card = record(valueAt(msg, ['action_card']));
  if (record(msg)?.msgtype !== 'action_card' || card === undefined || typeof card.title === 'string') return [];
  return [problem('msg/missing-title', ['action_card'], 0, 'action_card has no title; the conversation list and the notification show it',
    'Add title (at most 64 characters).')];
}

/** Warnings about a msg DingTalk accepts; run them after checkMsgShape finds no errors. */
export function checkMsgAdvice(msg: unknown): MsgProblem[] {
  return [
    ...recommendedLengths(msg),
    ...oaFormRowsShown(msg),
    ...markdownWithoutHtml(msg),
    ...oaHeadTextLength(msg),
    ...oaStatusBarAdvice(msg),
    ...oaFormRowsComplete(msg),
    ...actionCardTitle(msg),
  ];
}

function valueAt(msg: unknown, path: string[]): unknown {
  let node: unknown = msg;
  for (const step of path) node = record(node)?.[step];
  return node;
}
