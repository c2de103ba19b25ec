// `each:` per-person messages (issue 14's benchmark): 10,000 pay slips (examples/payslips' template, one row per
// person, every row its own amounts, so every message is distinct and goes in a call of its own), rendered and
// planned, then sent against `dingcast sandbox` started as its own process. Every figure is a ratio:
//   1. load + render + plan of 10,000 rows, to an anchor measured in the same run (csv-parse of the same CSV +
//      JSON.stringify of its rows: reading the rows and writing them out, the least any plan does);
//   2. the real `dingcast send` (its own process, 1,000 rows: 10,000 calls at 20/s would be 500 s) at DingTalk's
//      real caps, 20 calls/s per API and 5000 recipients a minute, 80 ms latency on every call (as bench/send);
//   3. all 10,000 rows through applyPlan (dingcast's runner) with the caps raised 10× on both sides, consistently:
//      the client's callsPerSecond 200 and recipientsPerMinute 50,000, the sandbox's qps_per_api 200 and
//      recipients_per_minute 50,000, the latency cut 10× to 8 ms (the project's `limits` only sets ids per call,
//      so the rate caps are the client's options, as bench/send sets them).
// The theoretical minimum of a send is max(calls / calls-per-second, recipients / recipients-per-minute); a per-person
// send has one recipient a call, so the 20/s cap binds (1,000 calls: 50 s; recipients: 12 s). Each send's figure is
// that minimum as a share of the measured wall time (its rate as a share of the theoretical rate); the bench exits 1
// when a send is below 90 % (the scaled one: of the cap or, if lower, of the machine's unpaced rate measured in the
// same run, see 3. below). The minimum counts the first second's burst as a full second, so a perfect run would
// read a little over 100 %. Needs `npm run build`. `node bench/each-send.bench.mjs` or `npm run bench each`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadProject } from '../dist/core/load/loadProject.js';
import { planSend } from '../dist/core/send/plan.js';
import { applyPlan } from '../dist/io/apply.js';
import { createDingTalkClient } from '../dist/io/dingtalk/index.js';
import { benchSandbox } from './_sandbox.mjs';

const ROWS = 10_000;
const CLI_ROWS = 1000;
const LATENCY_MS = 80;
const SCALE = 10;
const MIN_SHARE = 0.9;
const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;
const TEMPLATE = readFileSync(new URL('../examples/payslips/templates/payslip.yaml', import.meta.url), 'utf8');
const NOTIFICATIONS = 'version: 1\napp:\n  agent_id: 100000001\ntimezone: Asia/Shanghai\nnotifications:\n  payslips:\n    template: payslip@1\n    each: { file: data/payslips.csv, key: userid }\n    vars: { month: 2026-11 }\n';
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';

const userid = (i) => `u${i + 1}`;
/** n rows, every one with its own amounts (gross − deductions = net), so no two messages are alike. */
function csv(n) {
  const lines = ['userid,name,gross,deductions,net'];
  for (let i = 0; i < n; i++) {
    const gross = 12_000_00 + i * 37; // cents
    const deductions = 2_000_00 + ((i * 7919) % 100_000);
    const money = (c) => `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
    lines.push(`${userid(i)},${SURNAMES[i % 20]}${GIVEN[Math.floor(i / 20) % 20]}${GIVEN[Math.floor(i / 400) % 20]},${money(gross)},${money(deductions)},${money(gross - deductions)}`);
  }
  return `${lines.join('\n')}\n`;
}

const projectFiles = (bytes) => ({
  notifications: { file: 'notifications.yaml', text: NOTIFICATIONS },
  templates: [{ file: 'templates/payslip.yaml', text: TEMPLATE }],
  varsFiles: new Map(),
  dataFiles: new Map([['data/payslips.csv', { file: 'data/payslips.csv', bytes }]]),
});
let runs = 0;
/** What `send` does before the first call: load (parse the CSV, type the rows), render every row, plan. */
function planOf(bytes) {
  const project = loadProject(projectFiles(bytes));
  const errors = project.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the bench project does not load: ${errors[0].message}`);
  return planSend({ project, ids: ['payslips'], now: new Date(), runId: `bench-${++runs}`, ledger: { deliveries: [] }, force: false, fingerprint: 'bench' });
}

/** The bench's sandbox process (bench/_sandbox.mjs) with its people, caps and latency; admin reads and its CPU. */
async function sandbox({ users, qps, perMinute, latencyMs }) {
  const sb = await benchSandbox({ userids: Array.from({ length: users }, (_, i) => userid(i)), qps, perMinute, latencyMs });
  const admin = async (what) => (await fetch(`${sb.url}/__admin/${what}`)).json();
  return { url: sb.url, admin, cpuMs: () => cpuMsOf(sb.pid), close: sb.close };
}

/** CPU time (user + system) a process has used, from /proc (Linux; NaN elsewhere). */
function cpuMsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const load = () => loadavg()[0].toFixed(1);

/** Every one of the first n people got exactly one message. */
async function checkInboxes(sb, n) {
  const { counts } = await sb.admin('inboxes');
  const wrong = Array.from({ length: n }, (_, i) => userid(i)).filter((u) => counts[u] !== 1);
  if (wrong.length > 0) throw new Error(`${wrong.length} people did not get exactly one message (first: ${wrong[0]}: ${counts[wrong[0]] ?? 0})`);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (x) => `${(x * 100).toFixed(1)}%`;
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
/** The least a send can take at the caps: calls at perSecond, recipients at perMinute, whichever binds. */
function minimum(calls, recipients, perSecond, perMinute) {
  const byCalls = (calls / perSecond) * 1000;
  const byRecipients = (recipients / perMinute) * 60_000;
  return byCalls >= byRecipients ? { ms: byCalls, binds: `${calls} calls / ${perSecond} per s = ${s(byCalls)}; recipients ${s(byRecipients)}` } : { ms: byRecipients, binds: `${recipients} recipients / ${perMinute} a minute = ${s(byRecipients)}; calls ${s(byCalls)}` };
}
// `node bench/each-send.bench.mjs cli scaled` runs only those parts (plan, cli, scaled); all by default.
const parts = process.argv.slice(2);
const want = (part) => parts.length === 0 || parts.includes(part);
const results = [];
const check = (name, value, ok) => {
  results.push(ok);
  console.log(`${ok ? 'ok  ' : 'MISS'} ${name}: ${value}`);
};

// 1. Load + render + plan of 10,000 rows against the anchor, in alternating slices (median of 7 each), so that load
//    on the machine moves both alike.
if (want('plan')) {
  const bytes = Buffer.from(csv(ROWS));
  const plan = planOf(bytes); // warm-up, and the check that it is what the bench says
  const calls = plan.notifications[0].calls;
  if (calls.length !== ROWS || calls.some((c) => c.recipients.userids?.length !== 1) || new Set(calls.map((c) => c.msg)).size !== ROWS) throw new Error(`expected ${ROWS} calls of 1 recipient, each its own message; got ${calls.length} calls`);
  const anchor = () => JSON.stringify(parseCsv(bytes, { columns: true, bom: true })).length;
  anchor();
  const planMs = [];
  const anchorMs = [];
  for (let i = 0; i < 7; i++) {
    globalThis.gc?.();
    let t = performance.now();
    planOf(bytes);
    planMs.push(performance.now() - t);
    globalThis.gc?.();
    t = performance.now();
    anchor();
    anchorMs.push(performance.now() - t);
  }
  const p = median(planMs);
  const a = median(anchorMs);
  console.log(`info load + render + plan of ${ROWS.toLocaleString('en')} per-person rows (${calls.length.toLocaleString('en')} distinct messages, 1 a call): ${p.toFixed(0)} ms = ${(p / a).toFixed(1)}× the anchor (csv-parse of the CSV + JSON.stringify of the rows, ${a.toFixed(0)} ms; medians of 7)`);
}

// 2. The real CLI at the real caps: `dingcast send payslips` as its own process (it validates, plans, sends, follows
//    each task up and writes the reports) against the sandbox process, 1,000 rows.
if (want('cli')) {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-bench-each-'));
  mkdirSync(join(dir, 'templates'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'notifications.yaml'), NOTIFICATIONS);
  writeFileSync(join(dir, 'templates/payslip.yaml'), TEMPLATE);
  writeFileSync(join(dir, 'data/payslips.csv'), csv(CLI_ROWS));
  const sb = await sandbox({ users: CLI_ROWS, qps: 20, perMinute: 5000, latencyMs: LATENCY_MS });
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, NO_COLOR: '1', DINGTALK_BASE_URL: sb.url, DINGTALK_APP_KEY: 'sandbox-app-key', DINGTALK_APP_SECRET: 'sandbox-app-secret', DINGTALK_AGENT_ID: '100000001' };
    const sbCpu0 = sb.cpuMs();
    const t0 = Date.now(); // the sandbox's log is on the same wall clock
    const { code, out } = await new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, 'send', 'payslips', '--project', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (out += b));
      child.once('exit', (code) => resolve({ code, out }));
    });
    const t1 = Date.now();
    if (code !== 0) throw new Error(`dingcast send exited ${code}:\n${out.slice(-2000)}`);
    await checkInboxes(sb, CLI_ROWS);
    const { log } = await sb.admin('calls');
    const sends = log.filter((c) => c.endpoint === 'asyncsend_v2');
    const throttled = sends.filter((c) => c.errcode === 90018).length;
    const accepted = sends.length - throttled;
    if (accepted !== CLI_ROWS) throw new Error(`expected ${CLI_ROWS} accepted calls, the sandbox saw ${accepted}`);
    const follow = log.filter((c) => c.endpoint === 'getsendresult' || c.endpoint === 'getsendprogress');
    // The sends' wall time, from the sandbox's log: a call is logged once its latency (all on the way in) is over and
    // answered at once, so the first call left ~LATENCY_MS before its entry and the last answer came back at its entry.
    const first = sends[0].at - LATENCY_MS;
    const last = sends.at(-1).at;
    const min = minimum(CLI_ROWS, CLI_ROWS, 20, 5000);
    const share = min.ms / (last - first);
    const whole = min.ms / (t1 - t0);
    check(`real CLI at the real caps: \`dingcast send\` of ${CLI_ROWS.toLocaleString('en')} per-person rows as its own process, ${LATENCY_MS} ms latency; sends ${s(last - first)}; theoretical minimum ${min.binds}`, `sends at ${pct(share)} of the theoretical rate (target ≥ ${pct(MIN_SHARE)}); ${throttled} answered 90018`, share >= MIN_SHARE && throttled === 0);
    console.log(`info   the whole command, process start to exit, ${s(t1 - t0)} = ${pct(whole)} of the theoretical minimum: start + validate + plan + token ${s(first - t0)}, sends ${s(last - first)}, follow-up (${follow.length} calls, the last ${s((follow.at(-1)?.at ?? last) - last)} after the last send) + reports + exit ${s(t1 - last)}; sandbox CPU ${pct((sb.cpuMs() - sbCpu0) / (t1 - t0))} of a core, load average ${load()} on ${availableParallelism()} cores`);
  } finally {
    await sb.close();
  }
}

// 3. All 10,000 rows through dingcast's runner (applyPlan + the client, ledger in memory, no follow-up: the sends),
//    the caps raised SCALE× on both sides and the latency cut SCALE×, so the run takes a tenth of the real 500 s.
//    Anchor, measured in the same run: the rate this machine can make calls at right now, with no pacing at all
//    (client and sandbox without caps, the same latency, connections and runner), before and after the paced run.
//    Under load (six engineers on 2 cores) that rate falls below the cap: the calls' round trips grow (both processes
//    wait for a core) and the 8 connections can carry no more, which no pacing can make up for. So the gate is the
//    paced rate as a share of what was possible: the cap, or the machine's unpaced rate if that is lower.
//    (Session 7 runs at load 17: the pacing's jitter margin switched off gave 83.6/88.5 % against 85.0/87.4 % with it;
//    32 connections instead of 8 gave 81.0 %, its round trips 56 ms against 31: the sandbox was the bottleneck.)
/** `rows` per-person rows through applyPlan against a sandbox process of its own; caps 0 = none on either side. */
async function sendThrough(rows, qps, perMinute) {
  const sb = await sandbox({ users: rows, qps, perMinute, latencyMs: LATENCY_MS / SCALE });
  try {
    const client = createDingTalkClient({ baseUrl: sb.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001, callsPerSecond: qps, recipientsPerMinute: perMinute });
    await client.getSendProgress(0).catch(() => undefined); // the token, outside the timing
    const t0 = performance.now();
    const plan = planOf(Buffer.from(csv(rows)));
    const tPlan = performance.now();
    const cpu0 = { own: ownCpuMs(), sandbox: sb.cpuMs() };
    let sentAt = tPlan;
    const report = await applyPlan(plan, {
      client,
      ledger: { append: async () => {} },
      wait: false,
      waitTimeoutMs: 120_000,
      onProgress: (e) => {
        if (e.phase === 'sending' && e.done === e.total) sentAt = performance.now();
      },
    });
    const t1 = performance.now();
    const cpu = { own: ownCpuMs() - cpu0.own, sandbox: sb.cpuMs() - cpu0.sandbox };
    await client.close();
    const calls = report.notifications[0].calls;
    const notSent = calls.filter((c) => c.state !== 'sent').length;
    if (notSent > 0) throw new Error(`${notSent} calls not accepted`);
    await checkInboxes(sb, rows);
    return { t0, tPlan, sentAt, t1, cpu, calls: calls.length, retried: calls.filter((c) => c.attempts > 1).length, rate: (calls.length * 1000) / (sentAt - tPlan) };
  } finally {
    await sb.close();
  }
}

if (want('scaled')) {
  const qps = 20 * SCALE;
  const perMinute = 5000 * SCALE;
  const ANCHOR_ROWS = 2000;
  await sendThrough(300, 0, 0); // warm-up: the first run in the process compiles the runner and the client
  const before = await sendThrough(ANCHOR_ROWS, 0, 0);
  const r = await sendThrough(ROWS, qps, perMinute);
  const after = await sendThrough(ANCHOR_ROWS, 0, 0);
  const unpaced = (before.rate + after.rate) / 2;
  const min = minimum(r.calls, ROWS, qps, perMinute);
  const share = min.ms / (r.sentAt - r.tPlan);
  const possible = Math.min(qps, unpaced);
  const ofPossible = r.rate / possible;
  const bound = unpaced < qps / MIN_SHARE ? `the machine binds: unpaced it made only ${unpaced.toFixed(0)} calls/s` : 'the cap binds';
  console.log(`info   anchor: this machine's unpaced rate, ${ANCHOR_ROWS.toLocaleString('en')} calls without caps before and after: ${before.rate.toFixed(0)} and ${after.rate.toFixed(0)} calls/s = ${(unpaced / qps).toFixed(2)}× the cap of ${qps}/s`);
  check(`${ROWS.toLocaleString('en')} per-person rows through applyPlan, caps ×${SCALE} on both sides (${qps}/s, ${perMinute.toLocaleString('en')} a minute), ${LATENCY_MS / SCALE} ms latency; sends ${s(r.sentAt - r.tPlan)} = ${r.rate.toFixed(0)} calls/s; theoretical minimum ${min.binds}`, `${pct(share)} of the theoretical rate, ${pct(ofPossible)} of what was possible (${bound}; target ≥ ${pct(MIN_SHARE)} of it); ${r.retried} calls retried`, ofPossible >= MIN_SHARE);
  console.log(`info   plan + sends + report ${s(r.t1 - r.t0)} = ${pct(min.ms / (r.t1 - r.t0))} of the theoretical minimum (plan ${s(r.tPlan - r.t0)}, report ${s(r.t1 - r.sentAt)}); CPU a call from the plan's end: runner ${((r.cpu.own * 1000) / r.calls).toFixed(0)} µs, sandbox ${((r.cpu.sandbox * 1000) / r.calls).toFixed(0)} µs, i.e. ${pct(r.cpu.own / (r.t1 - r.tPlan))} and ${pct(r.cpu.sandbox / (r.t1 - r.tPlan))} of a core, load average ${load()} on ${availableParallelism()} cores`);
}

process.exitCode = results.every(Boolean) ? 0 : 1;
