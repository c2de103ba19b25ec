import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quotaMonth } from '../../src/core/send/quota.js';
import type { CallsEntry } from '../../src/core/send/records.js';
import { runCli } from '../helpers/cli.js';
import { freshDatabase, pgUrl } from '../helpers/postgres.js';
import { useSandboxProcess, type FaultSpec } from '../helpers/sandboxProcess.js';
import { makeProject } from '../send/_project.js';
import { callsIn, fileCalls, meteredAt } from './_calls.js';

/**
 * The monthly quota counts every metered call dingcast makes (issue 16 item 10), not only send's: report --refresh
 * (getsendprogress, getsendresult), status-bar (status_bar/update), recall, and the reminders' getsendresult. Each
 * command writes a `calls` record; the sum is what `dingcast sandbox` (its own process) answered, tokens aside.
 * Time is driven with --at (the original is sent 5 hours ago, so its 4-hour reminder is due now). No sleeps.
 * Every command meets one "system busy" (-1) answer on each API it calls and tries again: DingTalk meters each try,
 * so each try counts (the sandbox answered, and counts, both).
 */
const sandbox = useSandboxProcess();

const OA = 'version: 1\ndescription: an approval\nvariables:\n  type: object\n  required: [item]\n  properties:\n    item: { type: string, maxLength: 40 }\nexamples:\n  typical: { item: 报销单 }\nmsg:\n  msgtype: oa\n  oa:\n    message_url: https://example.com\n    head: { bgcolor: FFBBBBBB, text: 审批 }\n    status_bar: { status_value: 待审批, status_bg: "0xFFFF9D46" }\n    body: { title: "请审批：{{item}}" }\n';
const NUDGE = 'version: 1\ndescription: a reminder\nvariables:\n  type: object\n  required: [item]\n  properties:\n    item: { type: string, maxLength: 40 }\nexamples:\n  typical: { item: 报销单 }\nmsg:\n  msgtype: text\n  text: { content: "还未读：{{item}}" }\n';

/** approval: an OA message to 3 users, one per call (3 tasks), with a 4-hour unread reminder. */
function project(): string {
  const notifications = [
    'version: 1',
    'app:',
    '  agent_id: 100000001',
    '  monthly_call_quota: 5000',
    'timezone: Asia/Shanghai',
    'limits: { userids_per_call: 1 }',
    'notifications:',
    '  approval:',
    '    template: approval@1',
    '    to: { users: [zhangsan, lisi, chenyonggang] }',
    '    vars: { item: 报销单 }',
    '    remind: { after: 4h, template: nudge@1 }',
    '',
  ].join('\n');
  return makeProject({ 'templates/approval.yaml': OA, 'templates/nudge.yaml': NUDGE, 'notifications.yaml': notifications });
}

const cli = (dir: string, args: string[], env: Record<string, string> = {}) => runCli([...args, '--project', dir], { env: { ...sandbox.env, ...env } });

const callsRecords = fileCalls;
const metered = () => meteredAt(sandbox);

/** The next call to each endpoint is answered "system busy" (-1), which dingcast tries again. */
const busy = (...endpoints: NonNullable<Extract<FaultSpec, { kind: 'errcode' }>['endpoint']>[]) => sandbox.admin.addFaults(...endpoints.map((endpoint) => ({ kind: 'errcode' as const, errcode: -1, endpoint, count: 1 })));

const month = quotaMonth(new Date());
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const latestRun = (dir: string) => readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();

/**
 * Runs the commands one after another, each checked against what the sandbox answered for it; returns the project.
 * `recordsOf` reads the calls records where the state keeps them (the file ledger; for PostgreSQL, `state export`).
 */
async function everyCommand(dir: string, env: Record<string, string>, recordsOf: () => CallsEntry[] | Promise<CallsEntry[]>): Promise<void> {
  // The follow-up's first getsendresult is busy: 3 tasks, 4 lookups at least.
  await busy('getsendresult');
  const sent = await cli(dir, ['send', 'approval', '--at', hoursAgo(5)], env);
  expect(sent.code, sent.stderr).toBe(0);
  expect(await sandbox.admin.faults()).toEqual([]);
  const run = latestRun(dir);
  let before = await metered();
  expect(await recordsOf()).toEqual([expect.objectContaining({ run, count: before })]);
  await sandbox.admin.markRead('zhangsan');

  /** Runs one command and expects a calls record `by` it that counts exactly the sandbox's new metered calls. */
  const counted = async (args: string[], by: CallsEntry['by'], code = 0): Promise<string> => {
    const r = await cli(dir, args, env);
    expect(await sandbox.admin.faults(), 'every busy answer was met').toEqual([]);
    expect(r.code, r.stderr).toBe(code);
    const now = await metered();
    expect(now).toBeGreaterThan(before);
    const mine = (await recordsOf()).filter((c) => c.by === by);
    expect(mine, `${by}: ${r.stderr}`).toHaveLength(1);
    expect(mine[0]).toMatchObject({ app: '100000001', month });
    // Reminders are a send too: its own record counts the reminder's sends and follow-ups.
    if (by !== 'remind') expect(mine[0]?.count).toBe(now - before);
    before = now;
    return r.stderr;
  };

  // report --refresh: a getsendprogress and a getsendresult per task, one of each tried twice.
  await busy('getsendprogress', 'getsendresult');
  await counted(['report', run, '--refresh'], 'refresh');
  // status-bar: one status_bar/update per OA task, one tried twice.
  await busy('status_bar/update');
  await counted(['status-bar', run, '--value', '已同意', '--bg', '0xFF78C06E'], 'status-bar');
  // send --due: the reminder's getsendresult of each task (by remind), then the reminder's own send (no by). The
  // first lookup is tried twice: 3 tasks, 4 lookups.
  await busy('getsendresult');
  const reminded = await counted(['send', '--due'], 'remind');
  expect(reminded).toContain(`remind: approval of run ${run} → 2 still unread (1 read)`);
  const lookups = (await recordsOf()).find((c) => c.by === 'remind');
  expect(lookups?.count).toBe(4);
  // The run's cost counts the lookups it made (issue 16 item 10): its sends and follow-ups, and the 4 getsendresult.
  const planned = /API calls: 2 send \+ ~2 follow-up = ~4\n {2}and 4 getsendresult calls made to decide the reminders\n/.exec(reminded);
  expect(planned, reminded).not.toBeNull();
  expect(reminded).toMatch(/API quota \d{4}-\d{2}: this run ~8 calls; /);
  // recall: one per task (the whole run, no terminal: not asked), one tried twice.
  await busy('recall');
  await counted(['recall', run], 'recall');

  // The plan's quota figure is every one of them, which is everything the sandbox answered.
  const total = await metered();
  expect((await recordsOf()).reduce((s, c) => s + c.count, 0)).toBe(total);
  const dry = await cli(dir, ['send', 'approval', '--force', '--dry-run', '--json'], env);
  expect(dry.code, dry.stderr).toBe(0);
  expect((JSON.parse(dry.stdout) as { quota: { used: number; left: number } }).quota).toMatchObject({ used: total, left: 5000 - total });
}

describe('every metered call counts towards the monthly quota', () => {
  it('report --refresh, status-bar, the reminders\' getsendresult and recall each record their calls (file state)', async () => {
    const dir = project();
    await everyCommand(dir, {}, () => callsRecords(dir));
  });

  it.skipIf(!pgUrl)('the same in the shared PostgreSQL state', async () => {
    const env = { DINGCAST_STATE: await freshDatabase() };
    const dir = project();
    await everyCommand(dir, env, async () => {
      const exported = await cli(dir, ['state', 'export'], env);
      expect(exported.code, exported.stderr).toBe(0);
      return callsIn(exported.stdout);
    });
    // Nothing went to files: the database holds the count.
    expect(callsRecords(dir)).toEqual([]);
  });

  it('a refresh that meets 90020 records it: the next send is refused', async () => {
    const dir = project();
    // The sandbox counts the organisation's calls only while its quota is on.
    await sandbox.admin.setTunables({ monthly_call_quota: 1000 });
    const sent = await cli(dir, ['send', 'approval']);
    expect(sent.code, sent.stderr).toBe(0);
    const run = latestRun(dir);
    // The organisation's quota is now gone: the sandbox answers 90020 to every metered call.
    await sandbox.admin.setTunables({ monthly_call_quota: await metered() });
    try {
      const refresh = await cli(dir, ['report', run, '--refresh']);
      expect(refresh.stderr + refresh.stdout).toMatch(/90020/);
      expect(callsRecords(dir).find((c) => c.by === 'refresh')).toMatchObject({ run, exhausted: true });
      const next = await cli(dir, ['send', 'approval', '--force']);
      expect(next.code, next.stderr).toBe(2);
      expect(next.stderr).toContain(`✖ nothing sent: DingTalk said the monthly API quota is used up (90020, run ${run})`);
    } finally {
      await sandbox.admin.setTunables({ monthly_call_quota: 0 });
    }
  });
});
