import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/core/send/types.js';
import type { Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { AT, envFor, latestReport, makeProject, sandboxFor, textProject } from './_project.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('plan → apply', () => {
  it('--dry-run prints the plan, sends nothing and writes no state', async () => {
    const dir = makeProject();
    sandbox = await sandboxFor(dir);
    const r = await runCli(['send', '--all', '--dry-run', '--json', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(plan.format).toBe('dingcast.plan/v1');
    expect(plan.notifications.map((n) => n.id)).not.toContain('standup-reminder');
    expect(plan.api_calls.send).toBe(plan.notifications.reduce((s, n) => s + n.calls.length, 0));
    expect(plan.api_calls.total).toBeGreaterThan(plan.api_calls.send);
    expect(sandbox.state.calls().asyncsend_v2).toBe(0);
  });

  it('--save-plan then --plan applies exactly the saved plan; a stale plan is refused', async () => {
    const dir = textProject(['zhangsan', 'lisi']);
    sandbox = await sandboxFor(dir);
    const env = envFor(sandbox);
    const saved = await runCli(['send', 'note', '--dry-run', '--save-plan', 'plan.json', '--at', AT, '--project', dir], { env });
    expect(saved.code, saved.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as Plan;
    const applied = await runCli(['send', '--plan', 'plan.json', '--project', dir], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(latestReport(dir).run_id).toBe(plan.run_id);
    // The ledger changed (the plan was applied): applying it again is refused.
    const again = await runCli(['send', '--plan', 'plan.json', '--project', dir], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/plan plan.json is stale/);
    // So is a plan made before a template edit.
    await runCli(['send', 'note', '--dry-run', '--save-plan', 'plan2.json', '--at', AT, '--project', dir], { env });
    const t = join(dir, 'templates/note.yaml');
    writeFileSync(t, readFileSync(t, 'utf8').replace('hello', 'hi'));
    const edited = await runCli(['send', '--plan', 'plan2.json', '--project', dir], { env });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toMatch(/stale/);
    expect(sandbox.state.calls().asyncsend_v2).toBe(1);
  });

  it('--force sends regardless of the ledger and says so in the report', async () => {
    const dir = textProject(['zhangsan']);
    sandbox = await sandboxFor(dir);
    const env = envFor(sandbox);
    expect((await runCli(['send', 'note', '--at', AT, '--project', dir], { env })).code).toBe(0);
    const forced = await runCli(['send', 'note', '--force', '--at', AT, '--project', dir], { env });
    expect(forced.stderr).toMatch(/FORCE/);
    const report = latestReport(dir);
    expect(report.force).toBe(true);
    // DingTalk itself drops the same content the same day (143106): they have it, so it counts as delivered.
    expect(report.notifications[0]?.recipients.zhangsan).toBe('skipped');
    expect(report.notifications[0]?.skipped.find((x) => x.userid === 'zhangsan')?.reason).toMatch(/143106.*counts as delivered/);
    expect(forced.code).toBe(0);
  });

  it('appends the report to the GitHub job summary under GitHub Actions', async () => {
    const dir = textProject(['zhangsan']);
    sandbox = await sandboxFor(dir);
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: { ...envFor(sandbox), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(summary, 'utf8')).toContain(latestReport(dir).run_id);
  });

  it('refuses an invalid project before sending anything', async () => {
    const dir = textProject(['zhangsan'], [], 'hello {{nmae}}');
    sandbox = await sandboxFor(dir);
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: envFor(sandbox) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/templates\/note.yaml:\d+:\d+ error template\/undeclared-variable/);
    expect(sandbox.state.calls().gettoken + sandbox.state.calls().asyncsend_v2).toBe(0);
  });
});
