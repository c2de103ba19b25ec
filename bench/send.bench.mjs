// Sending benchmarks against the sandbox (issue 4): the call rate at the default 20/s cap, API calls per chunk
// including follow-up, runner throughput with the cap off against a naive sequential loop, and planning 100,000 recipients.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { loadProject } from '../dist/core/load/loadProject.js';
import { planSend } from '../dist/core/send/plan.js';
import { applyPlan } from '../dist/io/apply.js';
import { createDingTalkClient } from '../dist/io/dingtalk/index.js';
import { openLedger } from '../dist/io/ledger.js';
import { startSandbox } from '../dist/sandbox/index.js';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

// The cap-off comparison runs the sandbox in a worker thread, so the runner and the server each get a core, as
// `dingcast send` and DingTalk (or `dingcast sandbox`) would.
if (!isMainThread) {
  const sandbox = await startSandbox(workerData);
  parentPort.postMessage({ url: sandbox.url });
  parentPort.once('message', async () => {
    await sandbox.close();
    parentPort.postMessage('closed');
  });
}
async function sandboxInWorker(options) {
  const worker = new Worker(new URL(import.meta.url), { workerData: options });
  const { url } = await new Promise((resolve) => worker.once('message', resolve));
  return { url, close: async () => { worker.postMessage('close'); await new Promise((r) => worker.once('message', r)); await worker.terminate(); } };
}

const template = `version: 1\ndescription: bench\nvariables:\n  type: object\n  properties:\n    n: { type: integer, maximum: 1000000 }\nexamples:\n  typical: { n: 1 }\nmsg:\n  msgtype: text\n  text: { content: "bench {{n}}" }\n`;
function project(users, n = 1) {
  const notifications = `version: 1\napp:\n  agent_id: 100000001\n  kind: internal\ntimezone: Asia/Shanghai\nnotifications:\n  bench:\n    template: bench@1\n    to:\n      users: [${users.join(', ')}]\n    vars: { n: ${n} }\n`;
  return loadProject({ notifications: { file: 'notifications.yaml', text: notifications }, templates: [{ file: 'templates/bench.yaml', text: template }], varsFiles: new Map() });
}
const userIds = (count) => Array.from({ length: count }, (_, i) => `u${i}`);
const directory = (count) => ({ users: userIds(count).map((userid) => ({ userid, name: userid, dept_ids: [1] })), departments: [{ id: 1, name: 'root' }] });
const plan = (p, runId) => planSend({ project: p, ids: ['bench'], now: new Date(), runId, ledger: { deliveries: [] }, force: false, fingerprint: 'bench' });
const creds = (sandbox, extra = {}) => ({ baseUrl: sandbox.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001, ...extra });

async function runner(sandbox, users, clientOpts, wait, n) {
  const p = project(users, n);
  const pl = plan(p, `bench-${n}`);
  const ledger = await openLedger(mkdtempSync(join(tmpdir(), 'dingcast-bench-')));
  const client = createDingTalkClient(creds(sandbox, clientOpts));
  const t0 = performance.now();
  let sentAt = t0;
  const reports = await applyPlan(pl, { client, ledger, wait, waitTimeoutMs: 120_000, onCall: (done, total) => done === total && (sentAt = performance.now()) });
  const t1 = performance.now();
  await client.close();
  await ledger.close();
  return { calls: pl.notifications[0].calls.length, sendMs: sentAt - t0, totalMs: t1 - t0, reports };
}

if (isMainThread) {
// Planning one notification to 100,000 recipients, first, so RSS shows planning and not the sandbox runs.
{
  global.gc?.();
  const users = userIds(100_000);
  const p = project(users, 3);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const pl = plan(p, 'bench-plan');
  const ms = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  global.gc?.();
  const heap = process.memoryUsage().heapUsed;
  console.log(`plan 100,000 recipients: ${ms.toFixed(0)} ms, ${pl.notifications[0].calls.length} calls; RSS ${(rss / 1e6).toFixed(0)} MB (+${((rss - rss0) / 1e6).toFixed(0)} MB while planning); live heap ${(heap0 / 1e6).toFixed(0)} MB after loading the project → ${(heap / 1e6).toFixed(0)} MB with the plan (target < 1 s, < 200 MB)`);
}

// 1 + 2: the default cap (20 calls per second per API) and the default task timing.
{
  const users = userIds(200 * 20);
  const sandbox = await startSandbox({ config: { directory: directory(users.length) } });
  const r = await runner(sandbox, users, {}, true, 1);
  const log = sandbox.state.callLog();
  const throttled = log.filter((c) => c.errcode === 90018).length;
  const calls = sandbox.state.calls();
  const apiCalls = calls.asyncsend_v2 + calls.getsendprogress + calls.getsendresult;
  // After the first second's burst of 20, each further call needs a slot to come free: (calls - 20) over the time.
  const sends = log.filter((c) => c.endpoint === 'asyncsend_v2' && c.errcode === 0).map((c) => c.at).sort((a, b) => a - b);
  const rate = (r.calls - 20) / (r.sendMs / 1000);
  let busiest = 0;
  for (let i = 0, j = 0; i < sends.length; i++) {
    while (sends[i] - sends[j] >= 1000) j++;
    busiest = Math.max(busiest, i - j + 1);
  }
  console.log(`send rate at the sandbox's 20/s cap: ${rate.toFixed(2)} calls/s after the first burst (${((rate / 20) * 100).toFixed(1)}% of the cap; target ≥ 95%), at most ${busiest} in any 1 s window, ${throttled} × 90018 (target 0); ${r.calls} calls in ${(r.sendMs / 1000).toFixed(1)} s`);
  console.log(`API calls per chunk incl. follow-up: ${(apiCalls / r.calls).toFixed(2)} (${calls.asyncsend_v2} send + ${calls.getsendprogress} progress + ${calls.getsendresult} result for ${r.calls} chunks; target ≤ 2.2, minimum 2)`);
  await sandbox.close();
}

// 3: cap off: the runner against a naive sequential loop (one request after another, no pool or concurrency).
{
  const users = userIds(300 * 20);
  const sandbox = await sandboxInWorker({ qpsPerApi: 0, config: { directory: directory(users.length) } });
  const r = await runner(sandbox, users, { callsPerSecond: 0, concurrency: Number(process.env.CONCURRENCY ?? 16) }, false, 2);
  const runnerRate = r.calls / (r.sendMs / 1000);
  const token = (await (await request(`${sandbox.url}/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret`)).body.json()).access_token;
  const naiveCalls = 150;
  const t0 = performance.now();
  for (let i = 0; i < naiveCalls; i++) {
    const res = await fetch(`${sandbox.url}/topapi/message/corpconversation/asyncsend_v2?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8', connection: 'close' },
      body: JSON.stringify({ agent_id: 100000001, userid_list: users.slice((i % 300) * 20, (i % 300) * 20 + 20).join(','), msg: { msgtype: 'text', text: { content: `naive ${i}` } } }),
    });
    await res.json();
  }
  const naiveRate = naiveCalls / ((performance.now() - t0) / 1000);
  console.log(`runner with the cap off: ${runnerRate.toFixed(0)} calls/s vs naive sequential loop ${naiveRate.toFixed(0)} calls/s → ${(runnerRate / naiveRate).toFixed(1)}× (target ≥ 10×)`);
  await sandbox.close();
}

}
