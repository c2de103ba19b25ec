// `dingcast sandbox --port 0` as its own process, as DingTalk is to a real run, for the send benches (send,
// each-send): tasks finish at once (no queue or per-recipient delay), `qps` calls a second per API (0: no cap),
// `perMinute` recipients a minute (0: no cap), `latencyMs` on every call, the given userids in one department.
// Needs `npm run build`.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../dist/cli/bin.js', import.meta.url).pathname;

export async function benchSandbox({ userids, qps, perMinute, latencyMs }) {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-bench-'));
  const config = join(dir, 'sandbox.json');
  writeFileSync(config, JSON.stringify({ task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, qps_per_api: qps, recipients_per_minute: perMinute, daily_cap_internal: 100000, users: userids.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }], faults: [{ kind: 'latency', ms: latencyMs }] }));
  const child = spawn(process.execPath, [bin, '--project', dir, 'sandbox', '--port', '0', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /^(http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr.on('data', (b) => (err += b));
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${err}`)));
  });
  return { url, pid: child.pid, close: () => new Promise((r) => (child.once('exit', r), child.kill('SIGTERM'))) };
}
