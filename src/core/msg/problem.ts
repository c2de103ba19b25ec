import { formatDataPath } from '../schemaErrors.js';

/** One way a DingTalk `msg` breaks DingTalk's rules, as data: `dingcast validate` maps `path` to a YAML
 * position, and the sandbox answers with `errcode`, the code the real API returns for it. */
export interface MsgProblem {
  /** Stable, e.g. `msg/unknown-key`; scripts and tests key on it. */
  code: string;
  /** Exact path inside the msg, e.g. `['link', 'message_url']` or `['oa', 'body', 'form', 2, 'value']`. */
  path: (string | number)[];
  message: string;
  hint?: string;
  errcode: number;
}

/** DingTalk errcodes (dingtalk-api.md §4) that the rules map to. */
export const ERRCODE = {
  /** invalid msgtype */
  badMsgtype: 40008,
  /** invalid parameter: a msg that does not have the documented shape */
  invalidParameter: 40035,
  /** parameter error: a valid msg that cannot go to these recipients */
  parameterError: 400002,
  /** message content too long: a documented per-field cap */
  fieldTooLong: 34016,
  /** message content exceeds the 2048-byte limit */
  msgTooLarge: 45002,
  /** an isv app may not send to all users */
  isvToAll: 41028,
} as const;

/** `['oa','body','form',2,'value']` → `oa.body.form[2].value`; the empty path is the msg itself: `msg`. */
export function formatMsgPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? 'msg' : formatDataPath(path);
}

/** Shorthand for the rule functions. */
export function problem(
  code: string,
  path: (string | number)[],
  errcode: number,
  message: string,
  hint?: string,
): MsgProblem {
  return hint === undefined ? { code, path, message, errcode } : { code, path, message, hint, errcode };
}
