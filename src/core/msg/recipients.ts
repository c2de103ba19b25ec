import { ERRCODE, problem, type MsgProblem } from './problem.js';
import { record } from './rules.js';

/** Who one asyncsend_v2 call (or one notification) goes to. */
export interface Recipients {
  users: string[];
  departments: (string | number)[];
  all: boolean;
}

export type AppKind = 'internal' | 'isv';

export const STATUS_BAR_MAX_USERS = 5;

/** An OA status bar works only for ≤ 5 userids, with no departments and not to everyone. */
export function oaStatusBarRecipients(msg: unknown, to: Recipients): MsgProblem[] {
  const root = record(msg);
  if (root?.msgtype !== 'oa' || record(root.oa)?.status_bar === undefined) return [];
  const users = new Set(to.users).size;
  const reasons = [
    users > STATUS_BAR_MAX_USERS ? plural(users, 'user') : '',
    to.departments.length > 0 ? plural(to.departments.length, 'department') : '',
    to.all ? 'everyone (all: true)' : '',
  ].filter((r) => r !== '');
  if (reasons.length === 0) return [];
  return [problem('msg/status-bar-recipients', ['oa', 'status_bar'], ERRCODE.parameterError,
    `an OA status_bar only goes to at most ${STATUS_BAR_MAX_USERS} userids, with no departments and not to everyone; this goes to ${reasons.join(' and ')}`,
    `Remove oa.status_bar, or send to at most ${STATUS_BAR_MAX_USERS} users listed by userid.`)];
}

/** isv apps may not use to_all_user. */
export function isvCannotSendToAll(to: Recipients, appKind: AppKind): MsgProblem[] {
  if (appKind !== 'isv' || !to.all) return [];
  return [problem('msg/isv-all', [], ERRCODE.isvToAll,
    'an isv app cannot send to all users (to_all_user)', 'List users or departments instead of all: true.')];
}

/** Rules that depend on who receives the msg, not only on the msg itself. */
export function checkMsgRecipients(msg: unknown, to: Recipients, appKind: AppKind): MsgProblem[] {
  return [...isvCannotSendToAll(to, appKind), ...oaStatusBarRecipients(msg, to)];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
