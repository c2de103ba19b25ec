// State benchmarks (issue 11): PostgreSQL against the .dingcast/ files, measured in the same run.
// 1. At the 20 calls/s cap: `dingcast send` (the real CLI, a child process) to 4,000 users, 20 per call = 200 calls, once on files
//    and once on PostgreSQL; the call rate the sandbox saw after the first burst, as a share of the cap (target ≥ 95 %).
// 2. Cap off: what the state costs per call (intent durable before the call, answer after it), 16 calls in flight,
//    PostgreSQL against files.
// Needs `npm run build` and Debian's PostgreSQL server binaries (a throwaway cluster is started and removed), or
// DINGCAST_BENCH_PG=postgres://… of a server to use instead (a database is created in it).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openState } from '../dist/io/state/index.js';
import { startSandbox } from '../dist/sandbox/index.js';

const cli = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));

async function throwawayCluster() {
  if (process.env.DINGCAST_BENCH_PG) return { url: process.env.DINGCAST_BENCH_PG, stop: () => undefined };
  const root = '/usr/lib/postgresql';
  const major = existsSync(root) && readdirSync(root).sort((a, b) => Number(b) - Number(a)).find((v) => existsSync(join(root, v, 'bin', 'initdb')));
  if (!major) throw new Error('no PostgreSQL server binaries (apt-get install postgresql) and no DINGCAST_BENCH_PG');
  const bin = join(root, major, 'bin');
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd, args) => (asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), args, { stdio: 'pipe' }));
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'])), Number(execFileSync('id', ['-g', 'postgres'])));
  const port = await new Promise((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  // Durable like a production server (fsync on): a commit waits for the disk, as the file ledger's fsync does.
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir}`, 'start']);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop: () => { run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']); rmSync(dir, { recursive: true, force: true }); } };
}

async function freshDatabase(serverUrl) {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: serverUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

const userIds = (n) => Array.from({ length: n }, (_, i) => `u${i}`);
function project(users) {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-bench-state-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates', 'bench.yaml'), 'version: 1\ndescription: bench\nvariables: { type: object }\nexamples:\n  typical: {}\nmsg:\n  msgtype: text\n  text: { content: "state bench" }\n');
  writeFileSync(join(dir, 'notifications.yaml'), `version: 1\napp:\n  agent_id: 100000001\n  kind: internal\ntimezone: Asia/Shanghai\nlimits:\n  userids_per_call: 20\nnotifications:\n  bench:\n    template: bench@1\n    to:\n      users: [${users.join(', ')}]\n`);
  return dir;
}

function send(dir, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'send', 'bench', '--no-wait', '--project', dir], { env: { PATH: process.env.PATH, HOME: tmpdir(), NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`dingcast send exited ${code}: ${err.slice(-2000)}`))));
  });
}

/** The rate the sandbox saw after DingTalk's first-second burst of 20: (calls − 20) over the time they took. */
async function capRun(env) {
  const users = userIds(4000);
  const sandbox = await startSandbox({ config: { directory: { users: users.map((userid) => ({ userid, name: userid, dept_ids: [1] })), departments: [{ id: 1, name: 'root' }] } } });
  try {
    await send(project(users), { DINGTALK_BASE_URL: sandbox.url, DINGTALK_APP_KEY: 'sandbox-app-key', DINGTALK_APP_SECRET: 'sandbox-app-secret', ...env });
    const at = sandbox.state.callLog().filter((c) => c.endpoint === 'asyncsend_v2' && c.errcode === 0).map((c) => c.at).sort((a, b) => a - b);
    const throttled = sandbox.state.callLog().filter((c) => c.errcode === 90018).length;
    return { calls: at.length, rate: (at.length - 20) / ((at[at.length - 1] - at[0]) / 1000), throttled };
  } finally {
    await sandbox.close();
  }
}

/** What the state alone costs per call: intent (durable) → the call (nothing here) → answer, `inFlight` at once. */
async function perCall(store, calls, inFlight) {
  const day = '2026-12-02';
  await store.lock('bench', 0);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    for (let i = next++; i < calls; i = next++) {
      const key = `k${i}`;
      await store.append({ type: 'intent', run: 'bench', key, notification: 'bench', sha256: 'x'.repeat(64), day, recipients: userIds(20).map((u) => `user:${u}-${i}`) });
      await store.append({ type: 'sent', run: 'bench', key, task_id: i });
    }
  }));
  const ms = performance.now() - t0;
  await store.close();
  return ms / calls;
}

const server = await throwawayCluster();
try {
  const fileRun = await capRun({});
  const pgRun = await capRun({ DINGCAST_STATE: await freshDatabase(server.url) });
  console.log(`at the 20/s cap, ${pgRun.calls} calls: PostgreSQL ${pgRun.rate.toFixed(2)} calls/s = ${((pgRun.rate / 20) * 100).toFixed(1)}% of the cap (target ≥ 95%), ${pgRun.throttled} × 90018; files ${fileRun.rate.toFixed(2)} calls/s (${((fileRun.rate / 20) * 100).toFixed(1)}%) in the same run → PostgreSQL/files ${(pgRun.rate / fileRun.rate).toFixed(3)}`);

  const calls = 2000;
  const fileMs = await perCall(await openState({ projectDir: mkdtempSync(join(tmpdir(), 'dingcast-bench-files-')), target: 'bench', env: {} }), calls, 16);
  const pgMs = await perCall(await openState({ projectDir: tmpdir(), target: 'bench', agentId: 1, env: { DINGCAST_STATE: await freshDatabase(server.url) } }), calls, 16);
  console.log(`cap off, state cost per call (intent + answer, 16 in flight, ${calls} calls): PostgreSQL ${pgMs.toFixed(2)} ms, files ${fileMs.toFixed(2)} ms → ${(pgMs / fileMs).toFixed(1)}× the file backend (+${(pgMs - fileMs).toFixed(2)} ms per call; a DingTalk call takes ~50-200 ms)`);
} finally {
  server.stop();
}
