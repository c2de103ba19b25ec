import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, startCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { commitAll, edit, git, initRepo } from '../review/_git.js';
import { BASE_PROJECT, writeProject } from '../review/_project.js';
import { makeProject } from '../send/_project.js';

/**
 * One habit on every command that prints a result (issue 16 item 5): `--json` puts it on stdout as JSON (logs stay
 * on stderr), and `send --no-wait` says "not followed up" instead of FAIL, with an exit code that means it.
 */
let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox.close();
});

const json = <T = Record<string, unknown>>(stdout: string): T => JSON.parse(stdout) as T;
const TEMPLATE = 'version: 1\ndescription: a note\nvariables:\n  type: object\n  required: [name]\n  properties:\n    name: { type: string, maxLength: 20 }\nexamples:\n  typical: { name: team }\nmsg:\n  msgtype: text\n  text:\n    content: "hello {{name}}"\n';
const project = (users = '[zhangsan, lisi]') =>
  makeProject({ 'templates/note.yaml': TEMPLATE, 'notifications.yaml': `version: 1\napp:\n  agent_id: 100000001\ntimezone: Asia/Shanghai\nnotifications:\n  note:\n    template: note@1\n    to: { users: ${users} }\n    vars: { name: team }\n` });

describe('--json on every command that prints a result', () => {
  it('init --json: what was created', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dingcast-init-')), 'p');
    const r = await runCli(['init', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ format: string; created: string[]; gitignore: string }>(r.stdout);
    expect(out.format).toBe('dingcast.init/v1');
    expect(out.created).toContain('notifications.yaml');
    expect(out.gitignore).toBe('created');
    expect(readFileSync(join(dir, 'notifications.yaml'), 'utf8')).toMatch(/^version: 1/m);
  });

  it('diff --json: the changes as data (and --json --format md is refused)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dingcast-diff-'));
    writeProject(BASE_PROJECT, root);
    writeFileSync(join(root, 'README.md'), 'repo\n');
    initRepo(root);
    git(root, 'checkout', '-q', '-b', 'feature');
    edit(join(root, 'templates/note.yaml'), 'version: 1', 'version: 2');
    edit(join(root, 'notifications.yaml'), 'template: note@1', 'template: note@2');
    commitAll(root, 'bump');
    const r = await runCli(['diff', '--json', '--at', '2026-03-02T09:00:00+08:00'], { cwd: root });
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ format: string; base: { commit: string }; notifications: { id: string; status: string; template: { old?: string; new?: string } }[] }>(r.stdout);
    expect(out.format).toBe('dingcast.diff/v1');
    expect(out.base.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(out.notifications.find((n) => n.id === 'release')).toMatchObject({ status: 'changed' });
    const both = await runCli(['diff', '--json', '--format', 'md'], { cwd: root });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--json and --format md ask for different outputs/);
  });

  it('media upload --json: the media_id with type, size and sha256', async () => {
    const dir = project();
    copyFileSync(join(repoRoot, 'assets/spring-party.png'), join(dir, 'banner.png'));
    const r = await runCli(['media', 'upload', 'banner.png', '--json', '--project', dir], { env: sandbox.env });
    expect(r.code, r.stderr).toBe(0);
    const out = json<{ media_id: string; type: string; bytes: number }>(r.stdout);
    expect(out.type).toBe('image');
    expect(out.bytes).toBe(readFileSync(join(dir, 'banner.png')).length);
    expect(out.media_id).not.toBe('');
  });

  it('state unlock/compact/import --json: their results', async () => {
    const dir = project();
    const sent = await runCli(['send', 'note', '--project', dir], { env: sandbox.env });
    expect(sent.code, sent.stderr).toBe(0);
    const unlock = await runCli(['state', 'unlock', '--force', '--json', '--project', dir], { env: sandbox.env });
    expect(unlock.code, unlock.stderr).toBe(0);
    expect(json(unlock.stdout)).toEqual({ format: 'dingcast.state-unlock/v1', released: null });
    const compact = await runCli(['state', 'compact', '--dry-run', '--json', '--project', dir], { env: sandbox.env });
    expect(compact.code, compact.stderr).toBe(0);
    const c = json<{ format: string; dry_run: boolean; removed: number; kept: number }>(compact.stdout);
    expect(c).toMatchObject({ format: 'dingcast.state-compact/v1', dry_run: true, removed: 0 });
    expect(c.kept).toBeGreaterThan(0);
    // import needs PostgreSQL: without DINGCAST_STATE it is a clear error, and stdout stays empty.
    const imp = await runCli(['state', 'import', join(dir, '.dingcast', 'ledger.jsonl'), '--json', '--project', dir], { env: sandbox.env });
    expect(imp.code).toBe(2);
    expect(imp.stdout).toBe('');
  });

  it('sandbox --json: one line with the URL, the apps and the variables, once listening', async () => {
    const run = startCli(['sandbox', '--port', '0', '--json'], { timeoutMs: 60_000 });
    let stdout = '';
    const line = await new Promise<string>((resolve, reject) => {
      run.child.stdout?.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      run.done.then((r) => reject(new Error(`sandbox ended: ${r.stderr}`)), reject);
    });
    try {
      const info = json<{ format: string; url: string; apps: { appkey: string }[]; env: Record<string, string> }>(line);
      expect(info.format).toBe('dingcast.sandbox/v1');
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(info.env).toMatchObject({ DINGTALK_BASE_URL: info.url, DINGTALK_APP_KEY: 'sandbox-app-key' });
      // The variables it prints work: a send with only them reaches the sandbox.
      const dir = project('[zhangsan]');
      const r = await runCli(['send', 'note', '--project', dir], { env: info.env });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      run.child.kill('SIGTERM');
      await run.done;
    }
  });
});

describe('send --no-wait', () => {
  it('says "not followed up" (no FAIL), exits 0 when DingTalk accepted every call, and report --refresh follows up later', async () => {
    await sandbox.admin.reset();
    const dir = project('[zhangsan, lisi, ghost]');
    const r = await runCli(['send', 'note', '--no-wait', '--project', dir], { env: sandbox.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/FAIL|unknown/);
    expect(r.stdout).toMatch(/3 not followed up/);
    expect(r.stdout).toMatch(/not followed up \(--no-wait\): `dingcast report \S+ --refresh`/);
    const runId = readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();
    expect(readFileSync(join(dir, 'reports', runId, 'report.md'), 'utf8')).toMatch(/\*\*Not followed up\*\*/);
    // Followed up, ghost (not in the organisation) is what it is: invalid, exit 1.
    const refreshed = await runCli(['report', '--refresh', '--project', dir], { env: sandbox.env });
    expect(refreshed.code, refreshed.stderr + refreshed.stdout).toBe(1);
    expect(refreshed.stdout).toMatch(/FAIL/);
    expect(refreshed.stdout).toMatch(/invalid \(1\): ghost/);
    expect(refreshed.stdout).not.toMatch(/not followed up/);
    rmSync(dir, { recursive: true, force: true });
  });
});
