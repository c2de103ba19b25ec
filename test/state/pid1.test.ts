import { execFileSync, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { textProject } from '../send/_project.js';

/** Whether `unshare --pid` works here (root, or user namespaces allowed): a container's PID 1 without a container. */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['--pid', '--fork', '--mount-proc', '--kill-child', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const available = canUnshare();
if (!available) console.warn('skipped: the PID-1 lock test needs `unshare --pid --fork --mount-proc` (root or user namespaces)');

let sandbox: SandboxProcess | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe.skipIf(!available)('a run as PID 1 (a Kubernetes pod) killed mid-send', () => {
  it('the next PID-1 run takes the lock over within one TTL and nobody gets the message twice', async () => {
    const dir = textProject(['zhangsan', 'lisi']);
    sandbox = await startSandboxProcess({ projectDir: dir, faults: [{ kind: 'hold', name: 'mid-send', phase: 'after', endpoint: 'asyncsend_v2', count: 1 }] });
    const env = { PATH: process.env.PATH ?? '', HOME: '/tmp', NO_COLOR: '1', ...sandbox.env, DINGCAST_LEASE_TTL: '2' };
    const pod = (): string[] => ['--pid', '--fork', '--mount-proc', '--kill-child', process.execPath, cliPath, 'send', 'note', '--project', dir, '--lock-wait', '30'];
    const first = spawn('unshare', pod(), { env, stdio: 'ignore' });
    const exited = new Promise((r) => first.on('exit', r));
    // The call reached DingTalk (delivered) and its answer is held: kill the pod before it can record it.
    await sandbox.admin.waitHeld('mid-send', 1, 90_000);
    first.kill('SIGKILL');
    await exited;
    await sandbox.admin.release('mid-send');
    const second = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn('unshare', pod(), { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('exit', (code) => resolve({ code, err }));
    });
    expect(second.code, second.err).toBe(0);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
    // A later run sees the lock released and sends nothing.
    const third = await runCli(['send', 'note', '--project', dir], { env: sandbox.env });
    expect(third.code, third.stderr).toBe(0);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
  });
});
