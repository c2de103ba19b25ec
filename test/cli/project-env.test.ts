import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { textProject } from '../send/_project.js';

/** A project's .env gives the variables the environment does not set; the environment still wins. */
let sandbox: SandboxProcess;
beforeAll(async () => {
  sandbox = await startSandboxProcess();
});
afterAll(async () => {
  await sandbox.close();
});

function projectWithEnvFile(envFile: string): string {
  const dir = textProject(['zhangsan']);
  writeFileSync(join(dir, '.env'), envFile);
  return dir;
}

describe('the project .env', () => {
  it('supplies the credentials and target: send reaches the sandbox with nothing exported, and prints no secret', async () => {
    const dir = projectWithEnvFile(
      ['# sandbox app, see README', `DINGTALK_BASE_URL=${sandbox.url}`, 'DINGTALK_APP_KEY="sandbox-app-key"', "export DINGTALK_APP_SECRET='sandbox-app-secret'", ''].join('\n'),
    );
    const r = await runCli(['send', 'note', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(await sandbox.admin.inboxCounts()).toMatchObject({ zhangsan: 1 });
    expect(r.stdout + r.stderr).not.toContain('sandbox-app-secret');
  });

  it('loses to the environment: an exported variable is used over the file\'s', async () => {
    await sandbox.admin.reset();
    // The file's secret is wrong; the exported one is right, so the send goes through only if the environment wins.
    const dir = projectWithEnvFile(`DINGTALK_BASE_URL=${sandbox.url}\nDINGTALK_APP_KEY=sandbox-app-key\nDINGTALK_APP_SECRET=wrong-secret\n`);
    const r = await runCli(['send', 'note', '--project', dir], { env: { DINGTALK_APP_SECRET: 'sandbox-app-secret' } });
    expect(r.code, r.stderr).toBe(0);
    expect(await sandbox.admin.inboxCounts()).toMatchObject({ zhangsan: 1 });
  });

  it('is really read: a wrong secret in it is what DingTalk refuses (exit 2), and the secret is not echoed', async () => {
    const dir = projectWithEnvFile(`DINGTALK_BASE_URL=${sandbox.url}\nDINGTALK_APP_KEY=sandbox-app-key\nDINGTALK_APP_SECRET=wrong-secret-123\n`);
    const r = await runCli(['send', 'note', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DingTalk refused the app credentials \(errcode 40001/);
    expect(r.stdout + r.stderr).not.toContain('wrong-secret-123');
  });

  it('without a .env, a send with no credentials says which variables are missing (exit 2)', async () => {
    const r = await runCli(['send', 'note', '--project', textProject(['zhangsan'])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DINGTALK_APP_KEY/);
  });

  it('a .env that cannot be read is a clear error, not a crash', async () => {
    const dir = textProject(['zhangsan']);
    mkdirSync(join(dir, '.env'));
    const r = await runCli(['validate', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read .*\.env \(EISDIR\)/);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
