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

/** Warnings about a msg DingTalk accepts; run them after checkMsgShape finds no errors. */
export function checkMsgAdvice(msg: unknown): MsgProblem[] {
  return [...recommendedLengths(msg), ...oaFormRowsShown(msg), ...markdownWithoutHtml(msg)];
}

function valueAt(msg: unknown, path: string[]): unknown {
  let node: unknown = msg;
  for (const step of path) node = record(node)?.[step];
  return node;
}
