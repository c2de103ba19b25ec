import type { ProjectConfig, Recipients } from './project.js';

/** One asyncsend_v2 call's recipient selectors; unused selectors are left out, never sent empty. */
export interface CallRecipients {
  userids?: string[];
  deptIds?: (string | number)[];
  toAll?: true;
}

/**
 * Split recipients into calls within DingTalk's per-call caps (seed page: 20 userids, 20 dept ids).
 * User chunk i and department chunk i share call i, so the number of calls is the larger of the two counts.
 * Duplicates are removed first: DingTalk would deliver once anyway, and they would waste cap.
 */
export function chunkRecipients(to: Recipients, limits: ProjectConfig['limits']): CallRecipients[] {
  return chunkDistinct(to.all ? to : { users: [...new Set(to.users)], departments: to.departments, all: false }, limits);
}

/** chunkRecipients for lists whose users are already distinct (the plan's): a million-entry Set is seconds of a big plan. */
export function chunkDistinct(to: Recipients, limits: ProjectConfig['limits']): CallRecipients[] {
  if (to.all) return [{ toAll: true }];
  const users = to.users;
  // Strings end to end: a department id beyond 2^53 has no exact number (issue 9 item 7).
  const depts = [...new Set(to.departments.map(String))];
  const userChunks = split(users, limits.useridsPerCall);
  const deptChunks = split(depts, limits.deptIdsPerCall);
  const calls: CallRecipients[] = [];
  for (let i = 0; i < Math.max(userChunks.length, deptChunks.length); i++) {
    const call: CallRecipients = {};
    const u = userChunks[i];
    const d = deptChunks[i];
    if (u) call.userids = u;
    if (d) call.deptIds = d;
    calls.push(call);
  }
  return calls;
}

function split<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
