import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { allLedgersText, runCli } from '../helpers/cli.js';
import { AT, envFor, sandboxFor, textProject } from './_project.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('guards before anything is sent', () => {
  it('a --sandbox run never makes a send elsewhere skip anyone', async () => {
    const dir = textProject(['zhangsan', 'lisi']);
    expect((await runCli(['send', 'note', '--sandbox', '--at', AT, '--project', dir])).code).toBe(0);
    sandbox = await sandboxFor(dir);
    const plan = await runCli(['send', 'note', '--dry-run', '--json', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(plan.code, plan.stderr).toBe(0);
    const parsed = JSON.parse(plan.stdout) as { notifications: { skipped: unknown[]; calls: unknown[] }[] };
    expect(parsed.notifications[0]?.skipped).toEqual([]);
    expect(parsed.notifications[0]?.calls).toHaveLength(1);
  });

  it.each([
    ['a wrong app secret', (s: Sandbox) => ({ ...envFor(s), DINGTALK_APP_SECRET: 'wrong-secret' }), /DingTalk refused the app credentials \(errcode 40001/],
    ['an unreachable endpoint', () => ({ DINGTALK_BASE_URL: 'http://127.0.0.1:9', DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' }), /cannot reach http:\/\/127.0.0.1:9/],
  ])('%s → exit 2, nothing recorded as sent or failed', async (_name, env, message) => {
    const dir = textProject(['zhangsan']);
    sandbox = await sandboxFor(dir);
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: env(sandbox), timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('wrong-secret');
    expect(allLedgersText(dir)).toBe('');
    expect(sandbox.state.calls().asyncsend_v2).toBe(0);
  }, 150_000);

  it.each([
    ['a damaged plan file', ['send', '--plan', 'plan.json'], /plan plan.json is not valid JSON/],
    ['a plan file of null', ['send', '--plan', 'null.json'], /null.json is not a dingcast plan/],
    ['a missing plan file', ['send', '--plan', 'missing.json'], /cannot read plan missing.json: no such file/],
    ['a bad --wait-timeout', ['send', 'note', '--wait-timeout', 'abc'], /--wait-timeout `abc` is not a number of seconds/],
    ['a bad --lock-wait', ['send', 'note', '--lock-wait', '-1'], /--lock-wait `-1` is not a number of seconds/],
  ])('%s → exit 2 with a clear message', async (_name, args, message) => {
    const dir = textProject(['zhangsan']);
    writeFileSync(join(dir, 'plan.json'), '{');
    writeFileSync(join(dir, 'null.json'), 'null');
    sandbox = await sandboxFor(dir);
    const r = await runCli([...args, '--project', dir], { env: envFor(sandbox) });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/internal error/);
  });
});
