import type { CallReport, NotificationReport, Report, SendResultLists } from '../../src/core/send/types.js';
import { computeTotals } from '../../src/core/report/index.js';

/** A userid built to break Markdown tables, HTML and XML if anything forgets to escape it. */
export const HOSTILE = 'zhou<b>*ba*</b>|x&y"\'';

function lists(partial: Partial<SendResultLists>): SendResultLists {
  return {
    invalid_user_id_list: [],
    forbidden_user_id_list: [],
    failed_user_id_list: [],
    read_user_id_list: [],
    unread_user_id_list: [],
    invalid_dept_id_list: [],
    forbidden_list: [],
    ...partial,
  };
}

function call(index: number, fields: Omit<CallReport, 'key' | 'index'>): CallReport {
  return { key: `k-${index}-${'0'.repeat(8)}`, index, ...fields };
}

/**
 * Two notifications as a real run would leave them: release-api reached most users, but one was invalid
 * and two were dropped by DingTalk's flow control (143106 duplicate, 143105 daily cap); one user was skipped
 * by the ledger. weekly-digest hit errcode 40056 (invalid agentid) on one call and lost the answer of another.
 */
export function sampleReport(): Report {
  const releaseApi: NotificationReport = {
    id: 'release-api',
    template: 'release-note@3',
    sha256: 'a3f1c9e0b7d24c5e8f60718293a4b5c6d7e8f90112233445566778899aabbccd',
    bytes: 412,
    calls: [
      call(0, {
        recipients: { userids: ['zhangsan', 'lisi', 'wangwu', 'ghost'], deptIds: [12345] },
        task_id: 310001,
        progress: { percent: 100, status: 2 },
        result: lists({
          read_user_id_list: ['zhangsan'],
          unread_user_id_list: ['lisi'],
          invalid_user_id_list: ['ghost'],
          forbidden_user_id_list: ['wangwu'],
          forbidden_list: [{ code: '143106', count: 1, userid: 'wangwu' }],
        }),
        state: 'sent',
        attempts: 1,
      }),
      call(1, {
        recipients: { userids: [HOSTILE] },
        task_id: 310002,
        progress: { percent: 100, status: 2 },
        result: lists({ forbidden_user_id_list: [HOSTILE], forbidden_list: [{ code: '143105', count: 500, userid: HOSTILE }] }),
        state: 'sent',
        attempts: 2,
      }),
      call(2, {
        recipients: { userids: ['sunqi'] },
        task_id: 310003,
        progress: { percent: 100, status: 2 },
        result: lists({ read_user_id_list: ['sunqi'] }),
        state: 'sent',
        attempts: 1,
      }),
    ],
    skipped: [{ userid: 'zhaoliu', reason: 'already sent this content today (run 20261126T010000Z-0a0b0c)' }],
    recipients: { zhangsan: 'read', lisi: 'unread', wangwu: 'forbidden', ghost: 'invalid', zhaoliu: 'skipped', [HOSTILE]: 'forbidden', sunqi: 'read' },
    forbidden_reasons: { wangwu: '143106', [HOSTILE]: '143105' },
  };
  const weeklyDigest: NotificationReport = {
    id: 'weekly-digest',
    template: 'digest@1',
    sha256: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100',
    bytes: 1980,
    calls: [
      call(0, {
        recipients: { userids: ['u1', 'u2'] },
        error: { kind: 'dingtalk', errcode: 40056, errmsg: '不合法的agentid <bad>', attempts: 1 },
        state: 'failed',
        attempts: 1,
      }),
      call(1, { recipients: { userids: ['u3'] }, state: 'unknown', attempts: 1 }),
    ],
    // u9 is only in `skipped`, not in `recipients`: totals must still count it.
    skipped: [{ userid: 'u9', reason: 'already sent this content today' }],
    recipients: { u1: 'failed', u2: 'failed', u3: 'unknown' },
    forbidden_reasons: {},
    slot: '2026-11-26T09:00:00+08:00',
  };
  const notifications = [releaseApi, weeklyDigest];
  return {
    format: 'dingcast.report/v1',
    run_id: '20261126T010203Z-abc123',
    started_at: '2026-11-26T01:02:03.000Z',
    finished_at: '2026-11-26T01:02:09.500Z',
    endpoint: 'https://oapi.dingtalk.com',
    agent_id: 100000001,
    dry_run: false,
    force: false,
    sandbox: false,
    notifications,
    totals: computeTotals(notifications),
    api_calls: 14,
  };
}
