// Sending against a sandbox in its own process, as against DingTalk: nothing but the CLI's own work keeps it alive.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

let sb: SandboxProcess | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sb?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sb = dir = undefined;
});

function project(users: string[], useridsPerCall: number): string {
  const d = mkdtempSync(join(tmpdir(), 'dingcast-oop-'));
  mkdirSync(join(d, 'templates'));
  writeFileSync(join(d, 'templates/note.yaml'), 'version: 1\ndescription: a note\nmsg:\n  msgtype: text\n  text:\n    content: "hello, a note"\n');
  writeFileSync(
    join(d, 'notifications.yaml'),
    `version: 1\napp:\n  agent_id: 100000001\nlimits:\n  userids_per_call: ${useridsPerCall}\nnotifications:\n  note:\n    template: note\n    to:\n      users: [${users.join(', ')}]\n`,
  );
  return d;
}

describe('a run of more than 20 calls to one API', () => {
  it('finishes: 420 users at 20 per call reach everyone, exit 0', async () => {
    const users = Array.from({ length: 420 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    dir = project(users, 20);
    sb = await startSandboxProcess({
      // The sandbox's organisation is its own (as DingTalk's is), not the project's: these 420 people are in it.
      config: { users: users.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }], userids_per_call: 20, task_queue_ms: 0, task_base_ms: 50, task_per_recipient_ms: 0 },
    });
    const res = await runCli(['--project', dir, 'send', '--all'], { env: sb.env, timeoutMs: 60_000 });
    expect(res.stderr).not.toMatch(/internal error/);
    // 21 tasks followed at once each wait on the run's abort signal: by design, so Node must not warn of a leak.
    expect(res.stderr).not.toMatch(/MaxListenersExceededWarning/);
    expect(res.code).toBe(0);
    const counts = await sb.admin.inboxCounts();
    expect(Object.keys(counts)).toHaveLength(420);
    expect(Object.values(counts).every((n) => n === 1)).toBe(true);
    const calls = (await sb.admin.calls()).calls;
    expect(calls.asyncsend_v2).toBe(21);
    expect(calls.getsendresult).toBeGreaterThanOrEqual(21);
    const report = JSON.parse(readFileSync(join(dir, 'reports', readFileSync(join(dir, 'reports/latest'), 'utf8').trim(), 'report.json'), 'utf8')) as unknown;
    expect(JSON.stringify(report)).toContain('u419');
  }, 90_000);
});

describe('dist/cli/entry.js (bundled into bin.js)', () => {
  it('reports a main that never settles as a bug and exits 2, not 13 in silence', async () => {
    // The real entry.js (what the bundled bin.js is made of, scripts/bundle-bin.mjs) next to a main.js whose
    // promise never settles and leaves nothing to keep the loop alive.
    dir = mkdtempSync(join(tmpdir(), 'dingcast-bin-'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'bin.js'), readFileSync(new URL('../../dist/cli/entry.js', import.meta.url), 'utf8'));
    // bin.js's other import, the closed-pipe guard, does nothing that matters here.
    writeFileSync(join(dir, 'output.js'), 'export const ignoreClosedPipes = () => {};\n');
    writeFileSync(join(dir, 'main.js'), 'export const main = () => new Promise((resolve) => setTimeout(resolve, 60_000).unref());\n');
    const { spawnSync } = await import('node:child_process');
    const res = spawnSync(process.execPath, [join(dir, 'bin.js')], { encoding: 'utf8', timeout: 20_000 });
    expect(res.stderr).toMatch(/internal error \(a bug in dingcast; please report it\): the command stopped before it finished/);
    expect(res.status).toBe(2);
  });
});
