import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaValidator } from '../../src/core/schemas.js';
import type { ReminderPreview } from '../../src/core/send/remind.js';
import type { Report } from '../../src/core/send/types.js';
import { runCli, startCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

// Unread reminders (issue 16 item 9) against `dingcast sandbox` in its own process. Read state is the test's:
// the sandbox marks a user read only when told (POST /__admin/read). Time is driven with --at: the original is sent
// "5 hours ago", so `send --due` now finds its 4-hour reminder due. No sleeps.

const USERS = ['zhangsan', 'lisi', 'chenyonggang'];
const REMINDER_TEXT = '还未读：';

function makeProject(after = '4h'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-remind-'));
  mkdirSync(join(dir, 'templates'));
  const template = (title: string, text: string) => `version: 1
description: ${title}
variables:
  type: object
  required: [item]
  properties:
    item: { type: string, maxLength: 40 }
examples:
  typical: { item: 报销单 }
msg:
  msgtype: text
  text: { content: "${text}{{item}}" }
`;
  writeFileSync(join(dir, 'templates/approval.yaml'), template('Approval', '请审批：'));
  writeFileSync(join(dir, 'templates/approval-reminder.yaml'), template('Reminder', REMINDER_TEXT));
  writeFileSync(
    join(dir, 'notifications.yaml'),
    `version: 1
app:
  agent_id: 100000001
timezone: Asia/Shanghai
notifications:
  approval:
    template: approval@1
    to:
      users: [${USERS.join(', ')}]
    vars: { item: 报销单 }
    remind: { after: ${after}, template: approval-reminder@1 }
`,
  );
  return dir;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

function report(dir: string, run: string): Report {
  return JSON.parse(readFileSync(join(dir, 'reports', run, 'report.json'), 'utf8')) as Report;
}

function latestRun(dir: string): string {
  return readFileSync(join(dir, 'reports/latest'), 'utf8').trim();
}

async function reminders(sb: SandboxProcess, userid: string): Promise<number> {
  return (await sb.admin.inbox(userid)).filter((m) => JSON.stringify(m).includes(REMINDER_TEXT)).length;
}

/** `send --due --dry-run --json` (or `remind RUN --dry-run --json`): the plan with its `reminders`, checked against plan.schema.json. */
function dryRunReminders(stdout: string): ReminderPreview[] {
  const json = JSON.parse(stdout) as { reminders?: ReminderPreview[] };
  const valid = schemaValidator('plan');
  expect(valid(json), JSON.stringify(valid.errors)).toBe(true);
  return json.reminders ?? [];
}

/** The sandbox's call counts of the endpoints a reminder uses: a dry run must leave them as they were. */
async function reminderEndpointCalls(sb: SandboxProcess): Promise<number[]> {
  const { calls } = await sb.admin.calls();
  return ['asyncsend_v2', 'getsendresult', 'getsendprogress'].map((e) => calls[e] ?? 0);
}

let sandbox: SandboxProcess | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('unread reminders against a sandbox process', () => {
  it('send --due reminds exactly the unread once, a second --due sends nothing, and both reports show it', async () => {
    const dir = makeProject();
    sandbox = await startSandboxProcess();
    const env = sandbox.env;
    const sent = await runCli(['send', 'approval', '--at', hoursAgo(5), '--project', dir], { env });
    expect(sent.code, sent.stderr).toBe(0);
    const original = latestRun(dir);
    expect(await sandbox.admin.markRead('zhangsan')).toBe(1);

    // A dry run shows the reminder due, to whom and its calls, and asks DingTalk nothing.
    const before = await reminderEndpointCalls(sandbox);
    const preview = await runCli(['send', '--due', '--dry-run', '--json', '--project', dir], { env });
    expect(preview.code, preview.stderr).toBe(0);
    expect(dryRunReminders(preview.stdout)).toEqual([
      expect.objectContaining({ id: 'approval:remind', notification: 'approval', run: original, template: 'approval-reminder@1', state: 'due', users: USERS, calls: { getsendresult: 1, send: 1, follow_up: 1 } }),
    ]);
    const text = await runCli(['send', '--due', '--dry-run', '--project', dir], { env });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`approval:remind approval-reminder@1 — due: reminds approval of run ${original}`);
    expect(text.stdout).toContain(`to the unread among 3 people: ${USERS.join(', ')}`);
    expect(text.stdout).toContain('API calls: 1 getsendresult + at most 1 send + ~1 follow-up = at most ~3');
    expect(await reminderEndpointCalls(sandbox)).toEqual(before);
    expect(await reminders(sandbox, 'lisi')).toBe(0);

    const due = await runCli(['send', '--due', '--json', '--project', dir], { env });
    expect(due.code, due.stderr).toBe(0);
    expect(due.stderr).toContain(`remind: approval of run ${original} → 2 still unread (1 read)`);
    const reminderRun = (JSON.parse(due.stdout) as Report).run_id;
    expect(await reminders(sandbox, 'zhangsan')).toBe(0);
    expect(await reminders(sandbox, 'lisi')).toBe(1);
    expect(await reminders(sandbox, 'chenyonggang')).toBe(1);

    const again = await runCli(['send', '--due', '--project', dir], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('remind:');
    // Reminded: a dry run has nothing more to show, and by hand it says who already did it.
    expect(dryRunReminders((await runCli(['send', '--due', '--dry-run', '--json', '--project', dir], { env })).stdout)).toEqual([]);
    const byHandPreview = await runCli(['remind', original, '--dry-run', '--project', dir], { env });
    expect(byHandPreview.code, byHandPreview.stderr).toBe(0);
    expect(byHandPreview.stdout).toContain(`approval of run ${original}: already reminded by run ${reminderRun}`);
    expect(await reminders(sandbox, 'lisi')).toBe(1);
    expect(await reminders(sandbox, 'chenyonggang')).toBe(1);
    const sends = (await sandbox.admin.calls()).calls['asyncsend_v2'];
    expect(sends).toBe(2);

    // The reminder run's own report: the reminder, of which run, and its audience.
    const own = report(dir, reminderRun).notifications.find((n) => n.id === 'approval:remind');
    expect(own?.reminder).toEqual({ notification: 'approval', run: original, unread: 2, read: 1 });
    expect(Object.keys(own?.recipients ?? {}).sort()).toEqual(['chenyonggang', 'lisi']);
    expect(readFileSync(join(dir, 'reports', reminderRun, 'report.md'), 'utf8')).toContain(`reminder of approval in run ${original}`);

    // The original's report, after report --refresh: which run reminded whom.
    const refreshed = await runCli(['report', original, '--refresh', '--project', dir], { env });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    const theirs = report(dir, original).notifications.find((n) => n.id === 'approval');
    expect(theirs?.reminders).toEqual([expect.objectContaining({ run: reminderRun, template: 'approval-reminder@1', unread: ['lisi', 'chenyonggang'], read: ['zhangsan'] })]);
    expect(readFileSync(join(dir, 'reports', original, 'report.md'), 'utf8')).toContain(`reminded 2 unread in run ${reminderRun}`);
    expect(readFileSync(join(dir, 'reports', original, 'report.html'), 'utf8')).toContain(`Reminded 2 unread in run ${reminderRun} (approval-reminder@1): lisi, chenyonggang`);
    expect(readFileSync(join(dir, 'reports', reminderRun, 'report.html'), 'utf8')).toContain(`Unread reminder of approval in run ${original}: 2 unread, 1 read`);
  });

  it('--save-plan of a --due dry run keeps the due reminder; send --plan sends it once to the unread; an edited list is refused', async () => {
    const dir = makeProject();
    sandbox = await startSandboxProcess();
    const env = sandbox.env;
    expect((await runCli(['send', 'approval', '--at', hoursAgo(5), '--project', dir], { env })).code).toBe(0);
    const original = latestRun(dir);
    await sandbox.admin.markRead('zhangsan');

    const save = await runCli(['send', '--due', '--dry-run', '--save-plan', 'due.json', '--project', dir], { env });
    expect(save.code, save.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'due.json'), 'utf8')) as { notifications: unknown[]; reminders?: ReminderPreview[] };
    expect(saved.notifications).toEqual([]);
    expect(saved.reminders).toEqual([expect.objectContaining({ id: 'approval:remind', notification: 'approval', run: original, state: 'due', users: USERS })]);
    const valid = schemaValidator('plan');
    expect(valid(saved), JSON.stringify(valid.errors)).toBe(true);

    // The reminders are under the fingerprint: a hand-edited list is refused before any call.
    writeFileSync(join(dir, 'edited.json'), JSON.stringify({ ...saved, reminders: [{ ...saved.reminders![0]!, run: '20200101T000000Z-abcdef' }] }));
    const edited = await runCli(['send', '--plan', 'edited.json', '--project', dir], { env });
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain('stale or was edited');
    const before = await reminderEndpointCalls(sandbox);

    const sent = await runCli(['send', '--plan', 'due.json', '--json', '--project', dir], { env });
    expect(sent.code, sent.stderr).toBe(0);
    expect(before[1]).toBeLessThan((await reminderEndpointCalls(sandbox))[1]!);
    expect(sent.stderr).toContain(`remind: approval of run ${original} → 2 still unread (1 read)`);
    const r = JSON.parse(sent.stdout) as Report;
    expect(r.notifications.map((n) => [n.id, Object.keys(n.recipients).sort()])).toEqual([['approval:remind', ['chenyonggang', 'lisi']]]);
    expect(await reminders(sandbox, 'zhangsan')).toBe(0);
    expect(await reminders(sandbox, 'lisi')).toBe(1);
    expect(await reminders(sandbox, 'chenyonggang')).toBe(1);

    // Once: the same plan is stale now (the ledger moved), and the next tick has nothing to remind.
    const twice = await runCli(['send', '--plan', 'due.json', '--project', dir], { env });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('stale or was edited');
    const tick = await runCli(['send', '--due', '--project', dir], { env });
    expect(tick.code, tick.stderr).toBe(0);
    expect(tick.stderr).not.toContain('remind:');
    expect(await reminders(sandbox, 'lisi')).toBe(1);
  });

  it('is not due before `after`, and `remind RUN` by hand refuses --after that has not passed, then sends once', async () => {
    const dir = makeProject();
    sandbox = await startSandboxProcess();
    const env = sandbox.env;
    expect((await runCli(['send', 'approval', '--at', hoursAgo(1), '--project', dir], { env })).code).toBe(0);
    const original = latestRun(dir);
    await sandbox.admin.markRead('lisi');

    // Not due yet: the dry run says when it will be, and by hand with --dry-run what it would send now.
    const later = dryRunReminders((await runCli(['send', '--due', '--dry-run', '--json', '--project', dir], { env })).stdout);
    expect(later).toEqual([expect.objectContaining({ id: 'approval:remind', run: original, state: 'later', users: USERS })]);
    expect(Date.parse(later[0]!.due_at) - Date.parse(later[0]!.sent_at)).toBe(4 * 3_600_000);
    const now = await runCli(['remind', original, '--dry-run', '--json', '--project', dir], { env });
    expect(now.code, now.stderr).toBe(0);
    const byHand0 = JSON.parse(now.stdout) as { notifications: unknown[]; reminders: ReminderPreview[] };
    expect(byHand0.notifications).toEqual([]);
    expect(byHand0.reminders).toEqual([expect.objectContaining({ state: 'due', users: USERS, calls: { getsendresult: 1, send: 1, follow_up: 1 } })]);
    const unknownRun = await runCli(['remind', '20200101T000000Z-abcdef', '--dry-run', '--project', dir], { env });
    expect(unknownRun.code).toBe(2);
    expect(unknownRun.stderr).toContain('run 20200101T000000Z-abcdef sent nothing this state knows of');

    const early = await runCli(['send', '--due', '--project', dir], { env });
    expect(early.code, early.stderr).toBe(0);
    expect(await reminders(sandbox, 'zhangsan')).toBe(0);

    const tooSoon = await runCli(['remind', original, '--after', '2h', '--project', dir], { env });
    expect(tooSoon.code, tooSoon.stderr).toBe(0);
    expect(tooSoon.stderr).toMatch(/not reminded yet, it was sent 1h\d*m? ago \(--after 2h\)/);
    expect(await reminders(sandbox, 'zhangsan')).toBe(0);

    const byHand = await runCli(['remind', original, '--json', '--project', dir], { env });
    expect(byHand.code, byHand.stderr).toBe(0);
    const r = JSON.parse(byHand.stdout) as Report;
    expect(r.notifications.map((n) => [n.id, Object.keys(n.recipients).sort()])).toEqual([['approval:remind', ['chenyonggang', 'zhangsan']]]);
    expect(await reminders(sandbox, 'lisi')).toBe(0);

    const twice = await runCli(['remind', original, '--project', dir], { env });
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stderr).toContain('already reminded by run');
    expect(await reminders(sandbox, 'zhangsan')).toBe(1);
  });

  it('two runners at once send it once; a run killed before DingTalk answered leaves it to the next, which resends the same bytes', async () => {
    const dir = makeProject();
    sandbox = await startSandboxProcess();
    const env = sandbox.env;
    expect((await runCli(['send', 'approval', '--at', hoursAgo(5), '--project', dir], { env })).code).toBe(0);

    // Killed: the reminder's call reached the sandbox (delivered), its answer is held, the runner dies.
    await sandbox.admin.addFaults({ kind: 'hold', name: 'answer', phase: 'after', count: 1, endpoint: 'asyncsend_v2' });
    const killed = startCli(['send', '--due', '--project', dir], { env });
    await sandbox.admin.waitHeld('answer', 1, 60_000);
    killed.child.kill('SIGKILL');
    await killed.done;
    await sandbox.admin.release('answer');
    // The killed run decided the audience: a dry run shows it owed to exactly those, with no getsendresult to ask.
    expect(dryRunReminders((await runCli(['send', '--due', '--dry-run', '--json', '--project', dir], { env })).stdout)).toEqual([
      expect.objectContaining({ state: 'owed', users: USERS, calls: { getsendresult: 0, send: 1, follow_up: 1 } }),
    ]);

    // Two runners on one state at once: one waits for the other's lock, then finds nothing owed.
    const [a, b] = await Promise.all([runCli(['send', '--due', '--lock-wait', '60', '--project', dir], { env }), runCli(['send', '--due', '--lock-wait', '60', '--project', dir], { env })]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // One of them resent the killed run's exact bytes (DingTalk dropped the copy: 143106), the other sent nothing.
    expect([a.stderr, b.stderr].filter((s) => s.includes('owed since an earlier run stopped')).length).toBe(1);
    // Every task has run its course on the sandbox clock: what is in the inboxes now is all there will be.
    await sandbox.admin.clock({ advance: 60_000 });
    for (const u of USERS) expect(await reminders(sandbox, u)).toBe(1);
  });
});

// Departments (issue 16): getsendresult names who has read a task of at most 100 recipients, so a department call
// can be reminded when the pulled directory shows it reaches ≤ 100 people; a larger one is refused by validate.
describe('unread reminders to departments, against a sandbox process', () => {
  const staff = (prefix: string, n: number, dept: number) => Array.from({ length: n }, (_, i) => ({ userid: `${prefix}${i + 1}`, name: `${prefix}${i + 1}`, dept_ids: [dept] }));
  const org = () =>
    startSandboxProcess({
      config: { departments: [{ id: 1, name: 'corp' }, { id: 10, name: 'ops', parent_id: 1 }, { id: 20, name: 'sales', parent_id: 1 }], users: [...staff('ops', 3, 10), ...staff('sales', 101, 20)] },
    });
  const toDepartments = (depts: string) => {
    const dir = makeProject();
    const yaml = readFileSync(join(dir, 'notifications.yaml'), 'utf8').replace(`users: [${USERS.join(', ')}]`, `departments: [${depts}]`);
    writeFileSync(join(dir, 'notifications.yaml'), yaml);
    return dir;
  };

  it('reminds the unread of a department of 3 (the directory shows it), once, and refuses one of 101', async () => {
    sandbox = await org();
    const env = sandbox.env;
    const dir = toDepartments('10');
    // No directory yet: the size is unknown, so the reminder is refused with the way out.
    const blind = await runCli(['validate', '--format', 'json', '--project', dir], { env });
    expect(blind.code).toBe(1);
    expect(blind.stdout).toContain('remind/no-users');
    expect(blind.stdout).toContain('dingcast directory pull');
    expect((await runCli(['directory', 'pull', '--project', dir], { env })).code).toBe(0);
    const ok = await runCli(['validate', '--project', dir], { env });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);

    const sent = await runCli(['send', 'approval', '--at', hoursAgo(5), '--project', dir], { env });
    expect(sent.code, sent.stderr).toBe(0);
    const original = latestRun(dir);
    expect(await sandbox.admin.markRead('ops2')).toBe(1);

    const before = await reminderEndpointCalls(sandbox);
    const preview = dryRunReminders((await runCli(['send', '--due', '--dry-run', '--json', '--project', dir], { env })).stdout);
    expect(preview).toEqual([expect.objectContaining({ id: 'approval:remind', run: original, state: 'due', users: [], departments: ['10'], calls: { getsendresult: 1, send: 1, follow_up: 1 } })]);
    const text = await runCli(['send', '--due', '--dry-run', '--project', dir], { env });
    expect(text.stdout).toContain('to the unread among the people of department 10');
    expect(await reminderEndpointCalls(sandbox)).toEqual(before);

    const due = await runCli(['send', '--due', '--json', '--project', dir], { env });
    expect(due.code, due.stderr).toBe(0);
    expect(due.stderr).toContain(`remind: approval of run ${original} → 2 still unread (1 read)`);
    const own = (JSON.parse(due.stdout) as Report).notifications.find((n) => n.id === 'approval:remind');
    expect(Object.keys(own?.recipients ?? {}).sort()).toEqual(['ops1', 'ops3']);
    expect(await reminders(sandbox, 'ops1')).toBe(1);
    expect(await reminders(sandbox, 'ops2')).toBe(0);
    expect(await reminders(sandbox, 'ops3')).toBe(1);
    const again = await runCli(['send', '--due', '--project', dir], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(await reminders(sandbox, 'ops1')).toBe(1);

    // A department of 101: DingTalk would not say who read, so validate refuses it and says why.
    const big = toDepartments('20');
    expect((await runCli(['directory', 'pull', '--project', big], { env })).code).toBe(0);
    const refused = await runCli(['validate', '--format', 'json', '--project', big], { env });
    expect(refused.code).toBe(1);
    const d = (JSON.parse(refused.stdout) as { errors: { code: string; message: string }[] }).errors.find((x) => x.code === 'remind/no-users');
    expect(d?.message).toContain('the call to department 20 reaching 101 people');
  });
});

// `each:` (issue 16): one message per row, so each unread person is reminded with their own row's reminder, and
// only those the original run's tasks (one per distinct row content) list unread. 120 rows in 40 pay levels: rows
// of one level share a message, a call and a task, so the reminder asks 40 getsendresult. The values are sensitive:
// they reach the inboxes and nothing else.
describe('unread reminders for each: notifications, against a sandbox process', () => {
  const ROWS = 120;
  const LEVELS = 40;
  const rowUsers = Array.from({ length: ROWS }, (_, i) => `p${i + 1}`);
  const netOf = (k: number) => `${7000 + k * 53}.${String((k * 11) % 100).padStart(2, '0')}`;
  const nets = rowUsers.map((_, i) => netOf(i % LEVELS));
  const itemOf = (i: number) => `第${(i % LEVELS) + 1}档`;
  const slip = (head: string) => `version: 1
description: pay slip
variables:
  type: object
  required: [month, level, net]
  properties:
    userid: { type: string, maxLength: 64 }
    month: { type: string, maxLength: 7 }
    level: { type: string, maxLength: 10 }
    net: { type: string, maxLength: 12, sensitive: true }
examples:
  typical: { month: 2026-11, level: 第1档, net: "12345.00" }
msg:
  msgtype: text
  text: { content: "${head}{{month}} {{level}} 实发 ¥{{net}}" }
`;
  const SLIP_REMINDER = '工资条还未读：';
  const eachProject = () => {
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-remind-each-'));
    mkdirSync(join(dir, 'templates'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'templates/slip.yaml'), slip('工资条：'));
    writeFileSync(join(dir, 'templates/slip-reminder.yaml'), slip(SLIP_REMINDER));
    writeFileSync(join(dir, 'data/slips.csv'), `userid,level,net\n${rowUsers.map((u, i) => `${u},${itemOf(i)},${nets[i]}`).join('\n')}\n`);
    writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp:\n  agent_id: 100000001\ntimezone: Asia/Shanghai\nnotifications:\n  slips:\n    template: slip@1\n    each: { file: data/slips.csv }\n    vars: { month: 2026-11 }\n    remind: { after: 4h, template: slip-reminder@1 }\n');
    return dir;
  };
  const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
  const inboxTexts = async (sb: SandboxProcess, u: string) => (await sb.admin.inbox(u)).map((m) => (m.msg as { text?: { content?: string } }).text?.content ?? '');

  it('reminds each unread person once with their own row, asks again after a failed getsendresult, and stores no value', { timeout: 300_000 }, async () => {
    const dir = eachProject();
    sandbox = await startSandboxProcess({ config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: rowUsers.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] } });
    const sb = sandbox;
    const env = sb.env;
    const outputs: string[] = [];
    const cli = async (args: string[]) => {
      const r = await runCli([...args, '--project', dir], { env, timeoutMs: 240_000 });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const valid = await cli(['validate']);
    expect(valid.code, valid.stdout + valid.stderr).toBe(0);
    const sent = await cli(['send', 'slips', '--at', hoursAgo(5)]);
    expect(sent.code, sent.stderr).toBe(0);
    const original = latestRun(dir);
    // Every level whose index is a multiple of 4 has all its 3 people read; the rest none: 30 read, 90 unread.
    const read = rowUsers.filter((_, i) => i % 4 === 0);
    const unread = rowUsers.filter((_, i) => i % 4 !== 0);
    for (const u of read) expect(await sb.admin.markRead(u)).toBe(1);

    // The dry run: one getsendresult per task of the original run, at most one send per person; nothing asked.
    const before = await reminderEndpointCalls(sb);
    const preview = await cli(['send', '--due', '--dry-run', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    expect(dryRunReminders(preview.stdout)).toEqual([expect.objectContaining({ id: 'slips:remind', run: original, template: 'slip-reminder@1', state: 'due', users: expect.arrayContaining(rowUsers) as unknown, calls: { getsendresult: LEVELS, send: ROWS, follow_up: ROWS } })]);
    expect(await reminderEndpointCalls(sb)).toEqual(before);

    // getsendresult fails once (88: not retried): no reminder, nothing recorded, so the next tick asks again.
    await sb.admin.addFaults({ kind: 'errcode', errcode: 88, errmsg: 'injected', count: 1, endpoint: 'getsendresult' });
    const failed = await cli(['send', '--due']);
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stderr).toContain(`cannot ask DingTalk who read slips of run ${original}`);
    expect(await sb.admin.inboxCounts()).toEqual(Object.fromEntries(rowUsers.map((u) => [u, 1])));

    const due = await cli(['send', '--due', '--json']);
    expect(due.code, due.stderr).toBe(0);
    expect(due.stderr).toContain(`remind: slips of run ${original} → ${unread.length} still unread (${read.length} read)`);
    const reminderRun = (JSON.parse(due.stdout) as Report).run_id;
    // Exactly the unread, once each, with their own row (level and amount); the read ones nothing more.
    for (const [i, u] of rowUsers.entries()) {
      const texts = (await inboxTexts(sb, u)).filter((t) => t.startsWith(SLIP_REMINDER));
      expect(texts, u).toEqual(i % 4 === 0 ? [] : [`${SLIP_REMINDER}2026-11 ${itemOf(i)} 实发 ¥${nets[i]!}`]);
    }
    const own = report(dir, reminderRun).notifications.find((n) => n.id === 'slips:remind');
    expect(own?.reminder).toEqual({ notification: 'slips', run: original, unread: unread.length, read: read.length });
    expect(Object.keys(own?.recipients ?? {}).sort()).toEqual([...unread].sort());
    // Rows of one level share the reminder's call too: 30 levels have someone unread.
    expect(own?.calls.length).toBe(30);

    // Once: the next tick sends nothing, and the dry run shows nothing more.
    const tasks = (await sb.admin.tasks()).length;
    const again = await cli(['send', '--due']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('remind:');
    expect((await sb.admin.tasks()).length).toBe(tasks);
    expect(dryRunReminders((await cli(['send', '--due', '--dry-run', '--json'])).stdout)).toEqual([]);

    // The values are in the inboxes only: not in the state, the reports, or anything printed.
    const stored = [...filesUnder(join(dir, '.dingcast')), ...filesUnder(join(dir, 'reports'))].map((f) => [f, readFileSync(f, 'utf8')] as const);
    for (const v of new Set(nets)) {
      expect(stored.filter(([, text]) => text.includes(v)).map(([f]) => f)).toEqual([]);
      expect(outputs.filter((o) => o.includes(v))).toEqual([]);
    }
    expect(readFileSync(join(dir, 'data/slips.csv'), 'utf8')).toContain(nets[0]);
  });

  it('validate refuses a reminder template that a row does not fit, and one that would store a sensitive value', async () => {
    const dir = eachProject();
    writeFileSync(join(dir, 'templates/slip-reminder.yaml'), slip(SLIP_REMINDER).replace('required: [month, level, net]', 'required: [month, level, net, owner]').replace('    net: {', '    owner: { type: string, maxLength: 20 }\n    net: {').replace('level: 第1档,', 'level: 第1档, owner: 张三,'));
    const misfit = await runCli(['validate', '--format', 'json', '--project', dir]);
    expect(misfit.code).toBe(1);
    const errors = (JSON.parse(misfit.stdout) as { errors: { code: string; message: string; hint?: string; file: string }[] }).errors;
    expect(errors.map((e) => [e.code, e.file])).toEqual([['remind/each-row-vars', 'notifications.yaml']]);
    expect(errors[0]?.message).toContain('row 1 (line 2) of data/slips.csv for `p1`');
    expect(errors[0]?.message).toContain('owner');
    expect(errors[0]?.hint).toContain('`userid`, `level`, `net`');
    expect(misfit.stdout).not.toContain(nets[0]);

    writeFileSync(join(dir, 'templates/slip-reminder.yaml'), slip(SLIP_REMINDER).replace('net: { type: string, maxLength: 12, sensitive: true }', 'net: { type: string, maxLength: 12 }'));
    const exposed = await runCli(['validate', '--format', 'json', '--project', dir]);
    expect(exposed.code).toBe(1);
    expect((JSON.parse(exposed.stdout) as { errors: { code: string }[] }).errors.map((e) => e.code)).toEqual(['remind/each-sensitive']);
  });
});
