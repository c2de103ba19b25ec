import type { ApiError } from '../types.js';

const HOUR = 3_600_000;

/**
 * Progress, result and recall only reach tasks of the last 24 h [D RESULT, RECALL]. DingTalk gives an
 * unknown or too old task the same answer: progress/result say 40035 (invalid task_id), recall 400002.
 */
export function checkTaskAge(createdAt: number | undefined, now: number, hours: number, code: 40035 | 400002): ApiError | null {
  if (createdAt === undefined) return { errcode: code, errmsg: '不合法的参数: task_id 不存在' };
  if (now - createdAt > hours * HOUR) return { errcode: code, errmsg: `不合法的参数: task_id 超过${hours}小时, 无法查询` };
  return null;
}

/**
 * getsendresult does not support tasks with more than 100 recipients: the real API times out [D RESULT].
 * A sandbox that hangs would only make tests slow, so it answers 41052 ("too many recipients, no result
 * kept", the code DingTalk uses for the same situation in status_bar/update).
 */
export function checkResultSize(recipients: number, max: number): ApiError | null {
  if (recipients <= max) return null;
  return { errcode: 41052, errmsg: `接收人数超过${max}, 不保存发送结果 (DingTalk times out on such tasks)` };
}
