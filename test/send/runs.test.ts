import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/cli.js';
import { AT, envFor, latestReport, makeProject, sandboxFor } from './_project.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('report, recall and status-bar on a finished run', () => {
  it('refreshes read state, turns an approval to 已同意, recalls a message, and records both', async () => {
    const dir = makeProject();
    sandbox = await sandboxFor(dir);
    const env = envFor(sandbox);
    expect((await runCli(['send', 'approval-expense', 'oncall-handover', '--at', AT, '--project', dir], { env })).code).toBe(0);
    const run = latestReport(dir).run_id;
    const approval = latestReport(dir).notifications.find((n) => n.id === 'approval-expense');
    const reader = Object.keys(approval?.recipients ?? {})[0] ?? '';
    sandbox.admin.markRead(reader);

    const refreshed = await runCli(['report', '--refresh', '--json', '--project', dir], { env });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect((JSON.parse(refreshed.stdout) as { totals: { read: number } }).totals.read).toBeGreaterThanOrEqual(1);

    const finishedBefore = latestReport(dir).finished_at;
    const bar = await runCli(['status-bar', run, 'approval-expense', '--value', '已同意', '--bg', '0xFF78C06E', '--project', dir], { env });
    expect(bar.code, bar.stderr).toBe(0);
    // The result is on stdout, like every command's.
    expect(bar.stdout).toMatch(/^set the status bar to “已同意” on approval-expense call 1 \(task \d+\)$/m);
    const task = sandbox.state.task(approval?.calls[0]?.task_id ?? 0);
    expect(task?.status_bar).toMatchObject({ status_value: '已同意', status_bg: '0xFF78C06E' });

    const recall = await runCli(['recall', run, 'oncall-handover', '--json', '--project', dir], { env });
    expect(recall.code, recall.stderr).toBe(0);
    expect(JSON.parse(recall.stdout)).toMatchObject({ format: 'dingcast.calls/v1', run_id: run, results: [{ notification: 'oncall-handover', call: 1, ok: true }] });
    const report = latestReport(dir);
    // A recall hours later did not finish the run then: the run's own finish time stays.
    expect(report.finished_at).toBe(finishedBefore);
    expect(report.notifications.find((n) => n.id === 'oncall-handover')?.calls[0]?.recalled_at).toBeDefined();
    expect(report.notifications.find((n) => n.id === 'approval-expense')?.calls[0]?.status_bar?.status_value).toBe('已同意');
    const md = readFileSync(join(dir, 'reports', run, 'report.md'), 'utf8');
    expect(md).toMatch(/recalled 20\d\d-/);
    expect(md).toContain('status bar “已同意”');
  });

  it.each([
    ['a status bar on a non-OA message', (run: string) => ['status-bar', run, 'oncall-handover', '--value', 'x'], 1, /只有OA消息|OA/],
    ['a bad colour', (run: string) => ['status-bar', run, '--value', 'x', '--bg', 'green'], 2, /not a colour like 0xFF78C06E/],
    ['an unknown notification', (run: string) => ['recall', run, 'nope'], 2, /has no notification nope/],
    ['an unknown run', () => ['report', '20990101T000000Z-abcdef'], 2, /20990101T000000Z-abcdef/],
  ])('%s is refused clearly', async (_name, args, code, message) => {
    const dir = makeProject();
    sandbox = await sandboxFor(dir);
    const env = envFor(sandbox);
    expect((await runCli(['send', 'oncall-handover', '--at', AT, '--project', dir], { env })).code).toBe(0);
    const r = await runCli([...args(latestReport(dir).run_id), '--project', dir], { env });
    expect(r.code, r.stdout + r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
  });
});

describe('status-bar without notification ids', () => {
  it('updates only the OA messages of the run', async () => {
    const dir = makeProject();
    sandbox = await sandboxFor(dir);
    const env = envFor(sandbox);
    expect((await runCli(['send', 'approval-expense', 'oncall-handover', '--at', AT, '--project', dir], { env })).code).toBe(0);
    const r = await runCli(['status-bar', latestReport(dir).run_id, '--value', '已拒绝', '--bg', '0xFFF65E5E', '--project', dir], { env });
    expect(r.code, r.stderr).toBe(0);
    const calls = latestReport(dir).notifications.flatMap((n) => n.calls.map((c) => [n.id, c.status_bar?.status_value]));
    expect(calls).toEqual([
      ['approval-expense', '已拒绝'],
      ['oncall-handover', undefined],
    ]);
  });
});
