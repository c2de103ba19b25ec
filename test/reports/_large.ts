import { buildReport } from '../../src/core/report/index.js';
import type { CallReport, Plan, Report } from '../../src/core/send/types.js';

/**
 * A run to `count` users in calls of 100, every call answered; `failEvery` makes every n-th user failed. Built
 * from a plan through buildReport, as `send` builds it.
 */
export function largeReport(count: number, failEvery = 0): Report {
  const users = Array.from({ length: count }, (_, i) => `u${i + 1}`);
  const chunks: string[][] = [];
  for (let i = 0; i < users.length; i += 100) chunks.push(users.slice(i, i + 100));
  const plan: Plan = {
    format: 'dingcast.plan/v1',
    created_at: '2026-11-26T02:00:00.000Z',
    run_id: '20261126T020000Z-abcdef',
    day: '2026-11-26',
    timezone: 'Asia/Shanghai',
    agent_id: 100000001,
    app_kind: 'internal',
    force: false,
    fingerprint: 'x',
    warnings: [],
    api_calls: { send: chunks.length, follow_up: chunks.length, total: 2 * chunks.length },
    notifications: [
      {
        id: 'all-hands',
        template: 'note@1',
        msg: { msgtype: 'text', text: { content: 'hello' } },
        sha256: 'a'.repeat(64),
        bytes: 40,
        identity: 'b'.repeat(64),
        occurrence: '2026-11-26',
        recipients: { users, departments: [], all: false },
        calls: chunks.map((c, index) => ({ key: `k${index}`, index, recipients: { userids: c } })),
        skipped: [],
      },
    ],
  };
  const calls = new Map<string, CallReport>();
  chunks.forEach((c, index) => {
    const failed = failEvery > 0 ? c.filter((u) => Number(u.slice(1)) % failEvery === 0) : [];
    const unread = c.filter((u) => !failed.includes(u));
    calls.set(`k${index}`, {
      key: `k${index}`,
      index,
      recipients: { userids: c },
      task_id: 1000 + index,
      state: 'sent',
      attempts: 1,
      progress: { percent: 100, status: 2 },
      result: { invalid_user_id_list: [], forbidden_user_id_list: [], failed_user_id_list: failed, read_user_id_list: [], unread_user_id_list: unread, invalid_dept_id_list: [], forbidden_list: [] },
    });
  });
  return buildReport(plan, calls, { started_at: '2026-11-26T02:00:00.000Z', finished_at: '2026-11-26T02:05:00.000Z', endpoint: 'http://127.0.0.1:8787', agent_id: 100000001, sandbox: false, followed_up: true, api_calls: 2 * chunks.length });
}
