import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../helpers/cli.js';

/**
 * `dingcast validate | head` closes the pipe while dingcast still writes. The reader's end is closed here before the
 * CLI has even started, so its very first write meets EPIPE every time (no race with how fast the reader is).
 */
function runWithClosedStream(args: string[], closed: 'stdout' | 'stderr'): Promise<{ code: number | null; other: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child[closed].destroy();
    let other = '';
    child[closed === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => (other += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, other }));
  });
}

/** A project with one bad notification repeated, so validate has far more to print than a pipe buffer (64 KiB) holds. */
function projectWithManyProblems(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-pipe-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'templates/t.yaml'), 'version: 1\nmsg:\n  msgtype: text\n  text:\n    content: hi\n');
  const notifications = Array.from({ length: 400 }, (_, i) => `  n${i}:\n    template: t@1\n    to: { users: [u] }\n    schedule: "0 0 9 * * 1"\n`).join('');
  writeFileSync(join(dir, 'notifications.yaml'), `version: 1\napp: { agent_id: 1 }\ntimezone: Asia/Shanghai\nnotifications:\n${notifications}`);
  return dir;
}

describe('a reader that closes the pipe early', () => {
  it('validate with stdout closed: no EPIPE stack, the exit code still says what validate found', async () => {
    const r = await runWithClosedStream(['validate', '-p', 'test/fixtures/cron-six-fields'], 'stdout');
    expect(r.other).not.toMatch(/EPIPE|Unhandled|internal error/);
    expect(r.code).toBe(1);
  });

  it('an error printed to a closed stderr still exits 2 (could not do its job), not 1 from a crash', async () => {
    const r = await runWithClosedStream(['report', '-p', mkdtempSync(join(tmpdir(), 'dingcast-pipe-empty-'))], 'stderr');
    expect(r.code).toBe(2);
    expect(r.other).toBe('');
  });

  it('`dingcast validate | head -n 2` in a shell prints two lines and no stack', async () => {
    const dir = projectWithManyProblems();
    const r = await new Promise<{ stdout: string; stderr: string; codes: string }>((resolve, reject) => {
      // PIPESTATUS gives dingcast's own exit code, not head's.
      const sh = spawn('bash', ['-c', `node ${JSON.stringify(cliPath)} validate -p ${JSON.stringify(dir)} | head -n 2; echo "codes \${PIPESTATUS[*]}" >&2`], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      sh.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      sh.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      sh.on('error', reject);
      sh.on('close', () => resolve({ stdout, stderr, codes: /codes (.*)/.exec(stderr)?.[1] ?? '' }));
    });
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|internal error/);
    expect(r.codes).toBe('1 0');
  });
});
