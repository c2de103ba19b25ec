import type { ApiError } from '../types.js';

export interface StatusBarTask {
  createdAt: number;
  msgtype: unknown;
  recipients: number;
  viaDeptOrAll: boolean;
  done: boolean;
}

const DAY = 86_400_000;

/**
 * status_bar/update changes the status of an OA work notification [D STATUSBAR]: only OA messages,
 * up to 7 days old, after the task finished, and only for the small userid-only sends that may carry a
 * status bar at all (≤ 5 users, no departments, no to_all_user [D TYPES]); 41052 covers "too many
 * recipients / progress not finished" as the doc says.
 */
export function checkStatusBarUpdate(
  task: StatusBarTask | undefined,
  statusValue: unknown,
  now: number,
  windowDays: number,
): ApiError | null {
  if (typeof statusValue !== 'string' || statusValue === '') return { errcode: 40035, errmsg: '缺少参数 status_value' };
  if (!task) return { errcode: 400002, errmsg: '不合法的参数: task_id 不存在' };
  if (now - task.createdAt > windowDays * DAY) return { errcode: 400002, errmsg: `消息已超过${windowDays}天, 不能更新状态栏` };
  if (task.msgtype !== 'oa') return { errcode: 400002, errmsg: '只有OA消息可以更新状态栏' };
  if (task.viaDeptOrAll || task.recipients > 5) return { errcode: 41052, errmsg: '接收人数过多, 不能更新状态栏' };
  if (!task.done) return { errcode: 41052, errmsg: '消息发送尚未完成, 请稍后重试' };
  return null;
}
