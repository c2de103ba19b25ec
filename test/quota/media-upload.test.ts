import { describe, expect, it } from 'vitest';
import { quotaMonth } from '../../src/core/send/quota.js';
import type { CallsEntry } from '../../src/core/send/records.js';
import type { CliResult } from '../helpers/cli.js';
import { freshDatabase, pgUrl } from '../helpers/postgres.js';
import { useSandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject, mediaTemplate, NOTIFICATIONS_HEAD, png } from '../media/_project.js';
import { cliAt, exportedCalls, fileCalls, meteredAt } from './_calls.js';

/**
 * media/upload is a metered call (dingtalk-api.md §3: only tokens, login and contacts are exempt), so the monthly
 * quota counts it (issue 16 item 10): the uploads of a send's local files (each try, like a send's), in the run's
 * estimate and its `calls` record, and `dingcast media upload` (a record by media-upload). Against `dingcast
 * sandbox` in its own process, in the file state and in real PostgreSQL; a busy answer (-1) makes one upload take
 * two tries, and the sandbox's quota tunable makes it answer 90020. No sleeps.
 */
// The sandbox counts the organisation's calls only while its quota is on.
const sandbox = useSandboxProcess({}, (s) => s.admin.setTunables({ monthly_call_quota: 1000 }));

/** poster and again name one file (one upload), banner another: a run uploads 2 files for 3 notifications. */
function project(): string {
  const head = NOTIFICATIONS_HEAD.replace('  kind: internal\n', '  kind: internal\n  monthly_call_quota: 100\n');
  const notification = (id: string, user: string, file: string) => `  ${id}:\n    template: poster\n    to: { users: [${user}] }\n    vars: { path: ./assets/${file} }\n`;
  return makeProject({
    'templates/poster.yaml': mediaTemplate('image'),
    'notifications.yaml': head + notification('poster', 'zhangsan, lisi', 'poster.png') + notification('banner', 'chenyonggang', 'banner.png') + notification('again', 'zhengfangqiang', 'poster.png'),
    'assets/poster.png': png([200, 30, 30]),
    'assets/banner.png': png([30, 200, 30]),
    'assets/extra.png': png([30, 30, 200]),
  });
}

interface DryRun {
  api_calls: { send: number; follow_up: number; upload?: number };
  quota: { month: string; used: number; cost: number; left: number; exhausted_by?: string };
}

const month = quotaMonth(new Date());
const uploadsAtSandbox = async (): Promise<number> => (await sandbox.admin.calls()).calls['media/upload'] ?? 0;

async function uploadsCount(cli: (args: string[]) => Promise<CliResult>, recordsOf: () => CallsEntry[] | Promise<CallsEntry[]>): Promise<void> {
  const total = async () => (await recordsOf()).reduce((s, c) => s + c.count, 0);

  // The estimate: 3 sends, their follow-ups and the 2 distinct files.
  const dry = await cli(['send', '--all', '--dry-run', '--json']);
  expect(dry.code, dry.stderr).toBe(0);
  const plan = JSON.parse(dry.stdout) as DryRun;
  expect(plan.api_calls).toMatchObject({ send: 3, upload: 2 });
  expect(plan.quota).toMatchObject({ month, used: 0, cost: 3 + plan.api_calls.follow_up + 2 });
  const text = await cli(['send', '--all', '--dry-run']);
  expect(text.stdout + text.stderr).toContain(`API quota ${month}: this run ~${plan.quota.cost} calls; 0 of 100 used`);

  // The first upload is answered "system busy" and tried again: both tries count, as they do at DingTalk.
  await sandbox.admin.addFaults({ kind: 'errcode', errcode: -1, endpoint: 'media/upload', count: 1 });
  const sent = await cli(['send', '--all']);
  expect(sent.code, sent.stderr).toBe(0);
  expect(await uploadsAtSandbox()).toBe(3);
  const run = (await recordsOf()).filter((c) => c.by === undefined);
  expect(run).toHaveLength(1);
  expect(run[0]).toMatchObject({ app: '100000001', month });
  expect(run[0]!.count).toBe(await meteredAt(sandbox));

  // The files are in the state now: the next run's estimate has no upload, and its "used" is the first run's count.
  const again = JSON.parse((await cli(['send', '--all', '--force', '--dry-run', '--json'])).stdout) as DryRun;
  expect(again.api_calls.upload).toBeUndefined();
  expect(again.quota).toMatchObject({ used: run[0]!.count, cost: 3 + again.api_calls.follow_up });

  // `dingcast media upload`: one metered call, one record by media-upload.
  const before = await meteredAt(sandbox);
  const up = await cli(['media', 'upload', 'assets/extra.png']);
  expect(up.code, up.stderr).toBe(0);
  expect(up.stdout.trim()).toMatch(/^@\S+$/);
  expect(await meteredAt(sandbox)).toBe(before + 1);
  expect((await recordsOf()).filter((c) => c.by === 'media-upload')).toEqual([expect.objectContaining({ app: '100000001', month, count: 1 })]);
  expect(await total()).toBe(await meteredAt(sandbox));

  // The organisation's quota is gone: the upload meets 90020, the state remembers it, the next send is refused.
  await sandbox.admin.setTunables({ monthly_call_quota: 1 });
  const gone = await cli(['media', 'upload', 'assets/extra.png']);
  expect(gone.code).toBe(2);
  expect(gone.stderr).toMatch(/DingTalk refused the upload \(errcode 90020/);
  expect(gone.stderr).toMatch(/monthly API quota is used up/);
  const exhausted = (await recordsOf()).filter((c) => c.by === 'media-upload' && c.exhausted === true);
  expect(exhausted).toHaveLength(1);
  const next = await cli(['send', 'poster', '--force']);
  expect(next.code, next.stderr).toBe(2);
  expect(next.stderr).toContain(`✖ nothing sent: DingTalk said the monthly API quota is used up (90020, run ${exhausted[0]!.run})`);
  expect(await total()).toBe(await meteredAt(sandbox));
}

describe('media uploads count towards the monthly quota', () => {
  it('a send\'s uploads (each try) and `dingcast media upload` are estimated and recorded (file state)', async () => {
    const dir = project();
    await uploadsCount(cliAt(sandbox, dir), () => fileCalls(dir));
  }, 120_000);

  it.skipIf(!pgUrl)('the same in the shared PostgreSQL state', async () => {
    const env = { DINGCAST_STATE: await freshDatabase() };
    const dir = project();
    const cli = cliAt(sandbox, dir, env);
    await uploadsCount(cli, () => exportedCalls(cli));
    // Nothing went to files: the database holds the count.
    expect(fileCalls(dir)).toEqual([]);
  }, 120_000);
});
