import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { useSandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject } from '../send/_project.js';
import { fileCalls, meteredAt } from './_calls.js';

/**
 * The reminders' getsendresult lookups are metered calls (issue 16 item 10): when the month's recorded calls and the
 * lookups a `send --due` would make already go over `app.monthly_call_quota`, the run is refused before the first
 * lookup, against `dingcast sandbox` in its own process. Time is driven with --at (the original is sent 5 hours ago,
 * so its 4-hour reminder is due now). No sleeps.
 */
const sandbox = useSandboxProcess();

const NOTE = 'version: 1\ndescription: a notice\nvariables:\n  type: object\n  required: [item]\n  properties:\n    item: { type: string, maxLength: 40 }\nexamples:\n  typical: { item: 报销单 }\nmsg:\n  msgtype: text\n  text: { content: "请阅：{{item}}" }\n';
const NUDGE = NOTE.replace('a notice', 'a reminder').replace('请阅', '还未读');

/** notice: 3 users, one per call (3 tasks), with a 4-hour unread reminder; a quota of 10 calls a month. */
function project(): string {
  const notifications = [
    'version: 1',
    'app:',
    '  agent_id: 100000001',
    '  monthly_call_quota: 10',
    'timezone: Asia/Shanghai',
    'limits: { userids_per_call: 1 }',
    'notifications:',
    '  notice:',
    '    template: notice@1',
    '    to: { users: [zhangsan, lisi, chenyonggang] }',
    '    vars: { item: 报销单 }',
    '    remind: { after: 4h, template: nudge@1 }',
    '',
  ].join('\n');
  return makeProject({ 'templates/notice.yaml': NOTE, 'templates/nudge.yaml': NUDGE, 'notifications.yaml': notifications });
}

const cli = (dir: string, args: string[]) => runCli([...args, '--project', dir], { env: sandbox.env });
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

describe('reminder lookups and the monthly quota', () => {
  it('refuses send --due before any getsendresult when the lookups alone would go over; --over-quota looks them up', async () => {
    const dir = project();
    const sent = await cli(dir, ['send', 'notice', '--at', hoursAgo(5)]);
    expect(sent.code, sent.stderr).toBe(0);
    // 3 sends and their follow-ups: 8 of 10 used (as the sandbox counted), so the reminder's 3 lookups (one per task) cannot fit.
    const used = await meteredAt(sandbox);
    expect(fileCalls(dir).reduce((s, c) => s + c.count, 0)).toBe(used);
    expect(used).toBe(8);
    await sandbox.admin.markRead('zhangsan');

    const refused = await cli(dir, ['send', '--due']);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('and 3 getsendresult calls to decide the reminders');
    expect(refused.stderr).toContain('✖ nothing sent and no reminder looked up: this run needs ~3 API calls but only 2 of this month\'s 10 are left (8 used in');
    expect(refused.stderr).toMatch(/--over-quota/);
    expect(await meteredAtSandbox()).toBe(used);
    expect(fileCalls(dir).filter((c) => c.by === 'remind')).toEqual([]);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1, chenyonggang: 1 });

    // --over-quota: the lookups are made and counted, and the two unread get the reminder.
    const over = await cli(dir, ['send', '--due', '--over-quota']);
    expect(over.code, over.stderr).toBe(0);
    expect(fileCalls(dir).find((c) => c.by === 'remind')?.count).toBe(3);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 2, chenyonggang: 2 });
    expect(fileCalls(dir).reduce((s, c) => s + c.count, 0)).toBe(await meteredAtSandbox());
  });
});

const meteredAtSandbox = () => meteredAt(sandbox);
