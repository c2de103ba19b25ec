import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quotaMonth } from '../../src/core/send/quota.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, pgUrl } from '../helpers/postgres.js';
import { useSandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject } from '../send/_project.js';
import { fileCalls, meteredAt } from './_calls.js';

/**
 * The monthly API quota (issue 16 item 10) against `dingcast sandbox` in its own process: the state counts the
 * metered calls of each run, the plan shows the run's cost and what is left, a run that would go over
 * `app.monthly_call_quota` is refused (exit 2) unless --over-quota, and DingTalk's 90020 stops a run with the report
 * of what was done.
 */
const sandbox = useSandboxProcess({}, (s) => s.admin.setTunables({ monthly_call_quota: 0 }));

const TEMPLATE = 'version: 1\ndescription: a note\nvariables:\n  type: object\n  required: [name]\n  properties:\n    name: { type: string, maxLength: 20 }\nexamples:\n  typical: { name: team }\nmsg:\n  msgtype: text\n  text:\n    content: "hello {{name}}"\n';

/** `small`: 2 users in 1 call; `big`: 3 users, one per call (limits.userids_per_call: 1 applies to both: small is 2 calls). */
function project(quota?: number): string {
  const notifications = [
    'version: 1',
    'app:',
    '  agent_id: 100000001',
    ...(quota !== undefined ? [`  monthly_call_quota: ${quota}`] : []),
    'timezone: Asia/Shanghai',
    'limits: { userids_per_call: 1 }',
    'notifications:',
    '  small:',
    '    template: note@1',
    '    to: { users: [zhangsan, lisi] }',
    '    vars: { name: small }',
    '  big:',
    '    template: note@1',
    '    to: { users: [chenyonggang, zhengfangqiang, gaominxuan] }',
    '    vars: { name: big }',
    '',
  ].join('\n');
  return makeProject({ 'templates/note.yaml': TEMPLATE, 'notifications.yaml': notifications });
}

const send = (dir: string, args: string[], env: Record<string, string> = {}) => runCli(['send', ...args, '--project', dir], { env: { ...sandbox.env, ...env } });

const callsRecords = fileCalls;
const meteredAtSandbox = () => meteredAt(sandbox);

const month = quotaMonth(new Date());

describe('the monthly quota, counted in the file state', () => {
  it('counts each run\'s metered calls, shows cost and what is left, refuses a run that would go over, and --over-quota sends it', async () => {
    const dir = project(7);
    const first = await send(dir, ['small']);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    // 2 calls (one user each) + one getsendresult each.
    expect(first.stderr).toContain(`API quota ${month}: this run ~4 calls; 0 of 7 used, 7 left (3 after it)`);
    const recorded = callsRecords(dir);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ app: '100000001', month });
    // What the state counts is what the sandbox answered.
    expect(recorded[0]!.count).toBe(await meteredAtSandbox());
    const used = recorded[0]!.count;

    // big: 3 calls + 3 follow-ups = 6 > what is left: refused before anything is sent.
    const before = await meteredAtSandbox();
    const refused = await send(dir, ['big']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain(`API quota ${month}: this run ~6 calls; ${used} of 7 used, ${7 - used} left (${6 - (7 - used)} over)`);
    expect(refused.stderr).toMatch(new RegExp(`✖ nothing sent: this run needs ~6 API calls but only ${7 - used} of this month's 7 are left`));
    expect(refused.stderr).toMatch(/--over-quota/);
    expect(await meteredAtSandbox()).toBe(before);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });

    // A dry run says a real run would be refused, and --json carries the figures.
    const dry = await send(dir, ['big', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { quota: unknown }).quota).toEqual({ month, limit: 7, used, cost: 6, left: 7 - used });

    const over = await send(dir, ['big', '--over-quota']);
    expect(over.code, over.stderr).toBe(0);
    expect(over.stderr).toMatch(/over the quota: sending anyway \(--over-quota\)/);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1, chenyonggang: 1, zhengfangqiang: 1, gaominxuan: 1 });
    const total = callsRecords(dir).reduce((s, r) => s + r.count, 0);
    expect(total).toBe(await meteredAtSandbox());

    // Without a limit the plan still shows the count, and nothing is refused.
    const counted = await send(dir, ['small', '--dry-run']);
    expect(counted.stdout).toContain(`of 7 used`);
  });

  it('a project without a limit is counted, never refused; send --sandbox (in-process) is not counted', async () => {
    const dir = project();
    const r = await send(dir, ['small']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`API quota ${month}: this run ~4 calls; 0 recorded this month (set app.monthly_call_quota`);
    expect(callsRecords(dir).map((c) => c.count)).toEqual([await meteredAtSandbox()]);
    const local = await runCli(['send', 'big', '--sandbox', '--project', dir]);
    expect(local.code, local.stderr).toBe(0);
    expect(local.stderr).not.toMatch(/API quota/);
    expect(callsRecords(dir)).toHaveLength(1);
  });

  it('DingTalk\'s 90020 stops the run with a clear message and the report of what was done; the state remembers it', async () => {
    // The sandbox organisation has 2 metered calls left this month.
    await sandbox.admin.setTunables({ monthly_call_quota: 2 });
    const dir = project(100);
    const r = await send(dir, ['big']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/DingTalk answered 90020: the organisation's monthly API quota is used up\. No further calls were made/);
    const runId = readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();
    const report = JSON.parse(readFileSync(join(dir, 'reports', runId, 'report.json'), 'utf8')) as {
      stopped?: string;
      notifications: { calls: { state: string; task_id?: number; error?: { errcode?: number } }[] }[];
    };
    expect(report.stopped).toMatch(/90020/);
    const calls = report.notifications.flatMap((n) => n.calls);
    // Tasks, not inboxes: a task delivers as it progresses on the sandbox clock.
    const delivered = (await sandbox.admin.tasks()).length;
    // What the report says was sent is what the sandbox took; the rest were refused with 90020 or never made.
    expect(calls.filter((c) => c.task_id !== undefined)).toHaveLength(delivered);
    expect(delivered).toBeLessThanOrEqual(2);
    expect(calls.some((c) => c.error?.errcode === 90020)).toBe(true);
    expect(readFileSync(join(dir, 'reports', runId, 'report.md'), 'utf8')).toMatch(/90020/);
    const [record] = callsRecords(dir);
    expect(record).toMatchObject({ run: runId, exhausted: true });

    // The next plan knows DingTalk said no this month: refused however many calls the count says are left.
    const next = await send(dir, ['small']);
    expect(next.code, next.stderr).toBe(2);
    expect(next.stderr).toContain(`DingTalk answered 90020 (quota used up) in run ${runId}`);
    expect(next.stderr).toMatch(new RegExp(`✖ nothing sent: DingTalk said the monthly API quota is used up \\(90020, run ${runId}\\)`));
  });
});

describe.skipIf(!pgUrl)('the monthly quota in the shared PostgreSQL state', () => {
  it('two runners with no shared disk count into one quota', async () => {
    const url = await freshDatabase();
    const env = { DINGCAST_STATE: url };
    const a = project(9);
    const b = project(9);
    const first = await send(a, ['small'], env);
    expect(first.code, first.stderr).toBe(0);
    const used = await meteredAtSandbox();
    // Runner b has no .dingcast/ of a's, but the database's count.
    const second = await send(b, ['big'], env);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`API quota ${month}: this run ~6 calls; ${used} of 9 used, ${9 - used} left`);
    expect(callsRecords(b)).toEqual([]);
    const third = await send(b, ['big', '--over-quota'], env);
    expect(third.code, third.stderr).toBe(0);
    const fourth = await send(a, ['small', '--dry-run', '--json'], env);
    expect((JSON.parse(fourth.stdout) as { quota: { used: number } }).quota.used).toBe(await meteredAtSandbox());
  });
});
