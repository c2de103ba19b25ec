// asyncsend_v2 calls per second against the sandbox over loopback, rate cap off.
// The sandbox runs in a worker thread so that server and client each get a core, as they would
// with `dingcast sandbox` in one process and `dingcast send` in another.
// The anchor, measured in the same run by the same client: a bare node:http server in a worker that reads each
// body, JSON.parses it and answers the same JSON the sandbox answers (no checks, no state). The figures are the
// sandbox's rate and server time per call as ratios to it (issue 12 item 4).
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

/** The anchor: node:http answering gettoken and asyncsend_v2 with the sandbox's JSON, and nothing else. */
async function startBare() {
  const { createServer } = await import('node:http');
  let tasks = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let answer;
      if (req.url.startsWith('/gettoken')) answer = { errcode: 0, errmsg: 'ok', access_token: 'bare-token', expires_in: 7200 };
      else {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        answer = { errcode: 0, errmsg: 'ok', task_id: ++tasks, request_id: `bare-${tasks}` };
      }
      const body = JSON.stringify(answer);
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    calls: () => tasks,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

if (!isMainThread && workerData.bare) {
  const bare = await startBare();
  parentPort.postMessage({ url: bare.url });
  let elu;
  parentPort.on('message', async (command) => {
    if (command === 'start') {
      elu = performance.eventLoopUtilization();
      return;
    }
    const { utilization } = performance.eventLoopUtilization(elu);
    const calls = bare.calls();
    await bare.close();
    parentPort.postMessage({ calls, utilization });
  });
} else if (!isMainThread) {
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

  const users = ['sandbox-alice', 'sandbox-bob', 'sandbox-carol'];
  let issued = 0;
  let failed = 0;
  let pool;
  let access_token;

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

  /** One measured run of the same client against a server in a worker (the sandbox, or the bare anchor). */
  async function measure(data) {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    const { url } = await new Promise((resolve) => worker.once('message', resolve));
    pool = new Pool(url, { connections: concurrency });
    const tokenRes = await pool.request({ path: '/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret', method: 'GET' });
    ({ access_token } = await tokenRes.body.json());
    issued = 0;
    await run(500, 10_000); // warm-up: JIT and the msg schema compile
    issued = 0;
    failed = 0;
    worker.postMessage('start');
    const { done, ms, cpuMs } = await run(maxCalls, seconds * 1000);
    await pool.close();
    worker.postMessage('stop');
    const { calls, utilization } = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    // On a shared machine the wall-clock rate depends on the neighbours; CPU per call does not.
    return { done, ms, cpuMs, calls, failed, rate: (done / ms) * 1000, serverUs: ((ms * utilization) / done) * 1000 };
  }

  // Anchor first, then the sandbox, then the anchor again: the anchor's figure is the mean of the two around it.
  const bareA = await measure({ bare: true });
  const sb = await measure({});
  const bareB = await measure({ bare: true });
  const bare = { rate: (bareA.rate + bareB.rate) / 2, serverUs: (bareA.serverUs + bareB.serverUs) / 2 };

  console.log(`sandbox asyncsend_v2: ${sb.done} calls in ${(sb.ms / 1000).toFixed(2)} s = ${Math.round(sb.rate)} calls/s ` +
    `= ${(sb.rate / bare.rate).toFixed(2)}× a bare node:http server's ${Math.round(bare.rate)} calls/s (same client, same run; ` +
    `concurrency ${concurrency}, errcode != 0: ${sb.failed}, server counted ${sb.calls} incl. warm-up)`);
  console.log(`server thread busy ${sb.serverUs.toFixed(0)} µs per call = ${(sb.serverUs / bare.serverUs).toFixed(2)}× the bare server's ` +
    `${bare.serverUs.toFixed(0)} µs (≈ ${Math.round(1e6 / sb.serverUs)} calls/s on a free core); ` +
    `CPU of both threads ${((sb.cpuMs / sb.done) * 1000).toFixed(0)} µs per call; ` +
    `load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
  if (sb.failed > 0 || bareA.failed > 0 || bareB.failed > 0) process.exitCode = 1;
}
