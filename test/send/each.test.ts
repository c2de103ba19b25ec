// `each:` pay slips end to end against `dingcast sandbox` in its own process: 1,000 rows, lost answers and
// failed users; nobody gets theirs twice, nobody is lost, and the sensitive values never reach a file or output.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { latestReport, makeProject } from './_project.js';

vi.setConfig({ testTimeout: 300_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const ROWS = 1000;
const users = Array.from({ length: ROWS }, (_, i) => `u${i + 1}`);
// 50 pay levels, 20 people each: rows with the same fields share a message and a call. The values have a form
// (4 digits, a dot, 2 digits) that no hash, id or ISO time in the state or the reports can contain by chance.
const netOf = (k: number) => `${9000 + k * 37}.${String((k * 7) % 100).padStart(2, "0")}`;
const nets = users.map((_, i) => netOf(i % 50));

// The content renders the clock: a lost attempt must be resent with its own bytes, not a new rendering.
const TEMPLATE = `version: 1
description: monthly pay slip
variables:
  type: object
  required: [month, net]
  properties:
    userid: { type: string, maxLength: 64 }
    month: { type: string, maxLength: 7 }
    net: { type: string, maxLength: 12, sensitive: true }
examples:
  typical: { month: 2026-11, net: "12345.00" }
msg:
  msgtype: text
  text:
    content: "{{month}} 工资条：实发 ¥{{net}}（{{date @now \\"HH:mm:ss.SSS\\"}} 生成）"
`;

function project(): string {
  return makeProject({
    'templates/payslip.yaml': TEMPLATE,
    'notifications.yaml': 'version: 1\napp:\n  agent_id: 100000001\ntimezone: Asia/Shanghai\nnotifications:\n  payslips:\n    template: payslip@1\n    each: { file: data/payslips.csv }\n    vars: { month: 2026-11 }\n',
    'data/payslips.csv': `userid,net\n${users.map((u, i) => `${u},${nets[i]}`).join('\n')}\n`,
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('each: one pay slip per person', () => {
  it('1,000 rows with lost answers and failed users: each person gets exactly their own, and no value is ever stored', async () => {
    const dir = project();
    sb = await startSandboxProcess({ projectDir: dir, config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: users.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] } });
    const s = sb;
    const send = (...args: string[]) => runCli(['send', 'payslips', '--project', dir, ...args], { env: s.env, timeoutMs: 240_000 });
    const outputs: string[] = [];

    const dry = await send('--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    outputs.push(dry.stdout, dry.stderr);
    const plan = JSON.parse(dry.stdout) as { notifications: { each: { rows: number; messages: number; sensitive: string[] }; calls: { msg?: string }[] }[] };
    expect(plan.notifications[0]?.each).toMatchObject({ rows: ROWS, messages: 50, sensitive: ['net'] });
    expect(plan.notifications[0]?.calls.every((c) => c.msg === undefined)).toBe(true);

    // Every try (5) of the first 16 calls in flight (pay levels 0–15) is processed and its answer lost; two people
    // of later levels are failed by DingTalk.
    await s.admin.addFaults({ kind: 'drop-answer', count: 80, endpoint: 'asyncsend_v2' }, { kind: 'user', userid: 'u42', outcome: 'failed', count: 1 }, { kind: 'user', userid: 'u699', outcome: 'failed', count: 1 });
    const first = await send();
    outputs.push(first.stdout, first.stderr);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    const r1 = latestReport(dir);
    expect(r1.totals.unknown).toBeGreaterThan(0);
    expect(r1.notifications[0]?.recipients.u42).toBe('failed');
    const tasksAfterFirst = await s.admin.tasks();

    const second = await send();
    outputs.push(second.stdout, second.stderr);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resending \d+ recipient\(s\) whose earlier answer was lost/);
    expect(latestReport(dir).totals.unknown + latestReport(dir).totals.failed).toBe(0);

    // Nobody twice, nobody lost, and each person's message is theirs.
    const counts = await s.admin.inboxCounts();
    expect(users.filter((u) => counts[u] !== 1)).toEqual([]);
    for (const i of [0, 41, 698, 999]) {
      const inbox = await s.admin.inbox(users[i]!);
      expect((inbox[0]?.msg as { text: { content: string } }).text.content).toContain(`实发 ¥${nets[i]!}（`);
    }
    // A resent lost attempt carried the first attempt's bytes (rebuilt from the recorded clock), not a new rendering.
    const tasks = await s.admin.tasks();
    const resent = tasks.slice(tasksAfterFirst.length).flatMap((t) => t.userid_list.map((u) => [u, JSON.stringify(t.msg)] as const));
    const firstMsg = new Map(tasksAfterFirst.flatMap((t) => t.userid_list.map((u) => [u, JSON.stringify(t.msg)] as const)));
    const lostOnes = resent.filter(([u]) => u !== 'u42' && u !== 'u699');
    expect(lostOnes.length).toBeGreaterThan(0);
    for (const [u, msg] of lostOnes) expect(msg).toBe(firstMsg.get(u));

    const third = await send();
    outputs.push(third.stdout, third.stderr);
    expect(third.code).toBe(0);
    expect(await s.admin.tasks()).toHaveLength(tasks.length);

    // The values are nowhere: not in the state, the reports, or anything printed.
    const stored = [...filesUnder(join(dir, '.dingcast')), ...filesUnder(join(dir, 'reports'))].map((f) => [f, readFileSync(f, 'utf8')] as const);
    expect(stored.length).toBeGreaterThan(3);
    const distinct = [...new Set(nets)];
    for (const v of distinct) {
      expect(stored.filter(([, text]) => text.includes(v)).map(([f]) => f)).toEqual([]);
      expect(outputs.filter((o) => o.includes(v))).toEqual([]);
    }
    // The check itself can fail: the data file holds them.
    expect(readFileSync(join(dir, 'data/payslips.csv'), 'utf8')).toContain(distinct[0]);
  });

  it('--save-plan refuses to write sensitive messages; a changed row is sent again to that person only', async () => {
    const dir = project();
    sb = await startSandboxProcess({ projectDir: dir, config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: users.map((userid) => ({ userid, dept_ids: [1] })), departments: [{ id: 1 }] } });
    const s = sb;
    const send = (...args: string[]) => runCli(['send', 'payslips', '--project', dir, ...args], { env: s.env, timeoutMs: 240_000 });
    const saved = await send('--dry-run', '--save-plan', 'plan.json');
    expect(saved.code).toBe(2);
    expect(saved.stderr).toMatch(/not saved: its per-person messages hold sensitive values/);
    const run1 = await send();
    expect(run1.code).toBe(0);
    const before = (await s.admin.tasks()).length;
    const file = join(dir, 'data/payslips.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`u5,${nets[4]!}\n`, 'u5,1.00\n'));
    const again = await send();
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // The plan says which rows changed since which run, per row (not "the notification changed").
    const firstRun = /^plan (\S+)/m.exec(run1.stderr)?.[1];
    expect(firstRun).toBeDefined();
    expect(again.stderr).toContain(`changed since run ${firstRun!} at `);
    expect(again.stderr).toMatch(/: 1 row\(s\) — u5: sending their new version/);
    const tasks = await s.admin.tasks();
    expect(tasks.slice(before).flatMap((t) => t.userid_list)).toEqual(['u5']);

    // Two more rows changed, in two different runs: the plan lists both runs, latest first.
    const run2 = /^plan (\S+)/m.exec(again.stderr)?.[1];
    writeFileSync(file, readFileSync(file, 'utf8').replace(`u5,1.00\n`, 'u5,2.00\n').replace(`u7,${nets[6]!}\n`, 'u7,3.00\n'));
    const dry = await send('--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as { notifications: { changed_since?: { run: string }; each: { changed?: { run: string; rows: number; users: string[] }[] } }[] };
    expect(plan.notifications[0]?.each.changed?.map(({ run, rows, users }) => ({ run, rows, users }))).toEqual([
      { run: run2, rows: 1, users: ['u5'] },
      { run: firstRun, rows: 1, users: ['u7'] },
    ]);
    expect(plan.notifications[0]?.changed_since?.run).toBe(run2);
  });

  it('examples/payslips (the README pay slips) validates and sends each person of the sample company their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-payslips-'));
    cpSync(join(repoRoot, 'examples/payslips'), dir, { recursive: true });
    sb = await startSandboxProcess({ projectDir: dir });
    const s = sb;
    const validate = await runCli(['validate', '--project', dir]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const sent = await runCli(['send', 'payslips', '--project', dir], { env: s.env, timeoutMs: 120_000 });
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    const rows = readFileSync(join(dir, 'data/payslips.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(5);
    for (const [userid, , , , net] of rows) {
      const inbox = await s.admin.inbox(userid!);
      expect(inbox).toHaveLength(1);
      expect(JSON.stringify(inbox[0]?.msg)).toContain(`实发：¥${net!}`);
      expect(sent.stdout + sent.stderr).not.toContain(net!);
    }
    const stored = [...filesUnder(join(dir, '.dingcast')), ...filesUnder(join(dir, 'reports'))].map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const [, , gross, deductions, net] of rows) for (const v of [gross!, deductions!, net!]) expect(stored).not.toContain(v);
  });
});
