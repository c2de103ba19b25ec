// Report writing at scale: reports/<run>/{report.json, report.md, junit.xml, report.html} for 10,000 and 100,000 recipients,
// as a ratio to an anchor measured in the same run (JSON.stringify of the same report, pretty-printed).
// Targets (issue 9): 10,000 < 1 s, 100,000 < 10 s. Run: npm run build && node bench/report.bench.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from '../dist/core/report/index.js';
import { writeReport } from '../dist/io/reports/index.js';
import { formatReportSummary, reportedNotifications } from '../dist/core/report/index.js';
import { REPORT_FILES } from '../dist/core/report/files.js';

const FILES = 1 + Object.keys(REPORT_FILES).length; // report.json and each text format

function largeReport(count) {
  const users = Array.from({ length: count }, (_, i) => `u${i + 1}`);
  const chunks = [];
  for (let i = 0; i < users.length; i += 100) chunks.push(users.slice(i, i + 100));
  const plan = {
    format: 'dingcast.plan/v1', created_at: '2026-11-26T02:00:00.000Z', run_id: '20261126T020000Z-abcdef', day: '2026-11-26', timezone: 'Asia/Shanghai',
    agent_id: 100000001, app_kind: 'internal', force: false, fingerprint: 'x', warnings: [], api_calls: { send: chunks.length, follow_up: chunks.length, total: 2 * chunks.length },
    notifications: [{ id: 'all-hands', template: 'note@1', msg: { msgtype: 'text', text: { content: 'hello' } }, sha256: 'a'.repeat(64), bytes: 40, identity: 'b'.repeat(64), occurrence: '2026-11-26',
      recipients: { users, departments: [], all: false }, calls: chunks.map((c, index) => ({ key: `k${index}`, index, recipients: { userids: c } })), skipped: [] }],
  };
  const calls = new Map(chunks.map((c, index) => {
    // Every 50th user failed, so the failure paths (per-call bad recipients, junit details) are exercised.
    const failed = c.filter((u) => Number(u.slice(1)) % 50 === 0);
    const unread = c.filter((u) => Number(u.slice(1)) % 50 !== 0);
    return [`k${index}`, { key: `k${index}`, index, recipients: { userids: c }, task_id: 1000 + index, state: 'sent', attempts: 1, progress: { percent: 100, status: 2 },
      result: { invalid_user_id_list: [], forbidden_user_id_list: [], failed_user_id_list: failed, read_user_id_list: [], unread_user_id_list: unread, invalid_dept_id_list: [], forbidden_list: [] } }];
  }));
  return { plan, calls };
}

for (const count of [10_000, 100_000]) {
  const { plan, calls } = largeReport(count);
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-report-bench-'));
  const t0 = performance.now();
  const report = buildReport(plan, calls, { started_at: '2026-11-26T02:00:00.000Z', finished_at: '2026-11-26T02:05:00.000Z', endpoint: 'http://127.0.0.1:8787', agent_id: 100000001, sandbox: false, followed_up: true, api_calls: 2 * calls.size });
  const t1 = performance.now();
  // As `send` finishes: each recipient's status worked out once, for the files and the console summary.
  const reported = reportedNotifications(report);
  await writeReport(dir, report, [], reported);
  formatReportSummary(report, { reported });
  const t2 = performance.now();
  const a0 = performance.now();
  JSON.stringify(report, null, 2);
  const anchor = performance.now() - a0;
  rmSync(dir, { recursive: true, force: true });
  const total = t2 - t0;
  console.log(`report ${count.toLocaleString('en')} recipients: build ${(t1 - t0).toFixed(0)} ms + write ${FILES} files and the summary ${(t2 - t1).toFixed(0)} ms = ${total.toFixed(0)} ms (target < ${count === 10_000 ? '1000' : '10000'} ms); ${(total / anchor).toFixed(1)}× JSON.stringify of the same report (${anchor.toFixed(0)} ms)`);
}
