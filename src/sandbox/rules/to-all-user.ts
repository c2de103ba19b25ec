import type { ApiError, AppKind } from '../types.js';

/** ISV apps may not send to everyone (41028); internal apps at most `perDay` times a day (41045). */
export function checkToAllUser(kind: AppKind, all: boolean, sentToday: number, perDay: number): ApiError | null {
  if (!all) return null;
  if (kind === 'isv') return { errcode: 41028, errmsg: '没有调用该接口的权限: ISV不能发送给全员 (to_all_user)' };
  if (sentToday >= perDay) return { errcode: 41045, errmsg: `发送给全员的消息超过每日上限 (${perDay})` };
  return null;
}
