// asyncsend_v2 calls per second against the sandbox over loopback, rate cap off.
// The sandbox runs in a worker thread so that server and client each get a core, as they would
// with `dingcast sandbox` in one process and `dingcast send` in another.
// Usage: npm run build && node bench/sandbox.bench.mjs [--seconds 5] [--max-calls 50000] [--concurrency 64]
// (falls back to the TypeScript sources through tsx when dist/ is missing).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';

const DIST = new URL('../dist/sandbox/index.js', import.meta.url);

async function loadSandbox() {
  if (existsSync(fileURLToPath(DIST))) return import(DIST.href);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport('../src/sandbox/index.ts', import.meta.url);
}

if (!isMainThread) {
  const { startSandbox } = await loadSandbox();
  const sandbox = await startSandbox({ qpsPerApi: 0, ...workerData });
  parentPort.postMessage({ url: sandbox.url });
  let elu;
  parentPort.on('message', async (command) => {
    if (command === 'start') {
      elu = performance.eventLoopUtilization();
      return;
    }
    // Busy time of the server thread alone: wall time × event-loop utilisation.
    const { utilization } = performance.eventLoopUtilization(elu);
    const calls = sandbox.state.calls().asyncsend_v2;
    await sandbox.close();
    parentPort.postMessage({ calls, utilization });
  });
} else {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      'max-calls': { type: 'string', default: '50000' },
      concurrency: { type: 'string', default: '64' },
    },
  });
  const seconds = Number(values.seconds);
  const maxCalls = Number(values['max-calls']);
  const concurrency = Number(values.concurrency);
  const { Pool } = await import('undici');

  const worker = new Worker(new URL(import.meta.url), { workerData: {} });
  const { url } = await new Promise((resolve) => worker.once('message', resolve));
  const pool = new Pool(url, { connections: concurrency });

  const tokenRes = await pool.request({ path: '/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret', method: 'GET' });
  const { access_token } = await tokenRes.body.json();
  const users = ['sandbox-alice', 'sandbox-bob', 'sandbox-carol'];
  let issued = 0;
  let failed = 0;

  async function sendOne(i) {
    const body = JSON.stringify({
      agent_id: 100000001,
      userid_list: users[i % users.length],
      msg: { msgtype: 'text', text: { content: `bench message ${i}` } },
    });
    const res = await pool.request({
      path: `/topapi/message/corpconversation/asyncsend_v2?access_token=${access_token}`,
      method: 'POST',
      headers: { 'content-type': 'application/json;charset=utf-8' },
      body,
    });
    const answer = await res.body.json();
    if (answer.errcode !== 0) failed++;
  }

  async function run(limitCalls, limitMs) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const deadline = start + limitMs;
    let done = 0;
    const lanes = Array.from({ length: concurrency }, async () => {
      while (issued < limitCalls && performance.now() < deadline) {
        const i = issued++;
        await sendOne(i);
        done++;
      }
    });
    await Promise.all(lanes);
    const used = process.cpuUsage(cpu);
    return { done, ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  }

  await run(500, 10_000); // warm-up: JIT and the msg schema compile
  issued = 0;
  failed = 0;
  worker.postMessage('start');
  const { done, ms, cpuMs } = await run(maxCalls, seconds * 1000);
  await pool.close();
  worker.postMessage('stop');
  const { calls, utilization } = await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();

  const rate = Math.round((done / ms) * 1000);
  console.log(`sandbox asyncsend_v2: ${done} calls in ${(ms / 1000).toFixed(2)} s = ${rate} calls/s ` +
    `(concurrency ${concurrency}, errcode != 0: ${failed}, server counted ${calls} incl. warm-up)`);
  // On a shared machine the wall-clock rate depends on the neighbours; CPU per call does not.
  const serverUs = ((ms * utilization) / done) * 1000;
  console.log(`server thread busy ${serverUs.toFixed(0)} µs per call (≈ ${Math.round(1e6 / serverUs)} calls/s on a free core); ` +
    `CPU of both threads ${((cpuMs / done) * 1000).toFixed(0)} µs per call; ` +
    `load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
  if (failed > 0) process.exitCode = 1;
}
