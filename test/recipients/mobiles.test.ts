// `mobile:` recipients and `each: { key: mobile }` rows, resolved at plan time against `dingcast sandbox` in its
// own process: from the pulled directory when it knows them, else with getbymobile, whose answers are kept in
// .dingcast/directory.json; an unknown mobile is an error at the line it was written.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

const NOTE = 'version: 1\ndescription: n\nvariables: { type: object }\nmsg: { msgtype: text, text: { content: hi } }\n';
const SLIP = 'version: 1\ndescription: slip\nvariables:\n  type: object\n  required: [net]\n  properties:\n    net: { type: string, maxLength: 12, sensitive: true }\nmsg: { msgtype: text, text: { content: "实发 ¥{{net}}" } }\n';

function project(notifications: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-mobiles-'));
  const all = { 'templates/note.yaml': NOTE, 'templates/slip.yaml': SLIP, 'notifications.yaml': `version: 1\napp: { agent_id: 100000001 }\n${notifications}`, ...files };
  for (const [f, text] of Object.entries(all)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess();
});
afterAll(async () => {
  await sb.close();
});

// Where nothing listens: a run that needs no look-up never notices; one that tries fails with "cannot reach".
const NOWHERE = { DINGTALK_BASE_URL: 'http://127.0.0.1:9', DINGTALK_APP_KEY: 'k', DINGTALK_APP_SECRET: 's' };

interface PlanJson {
  notifications: { id: string; recipients: { users: string[] }; mobiles?: { mobile: string; userid: string }[] }[];
}

describe('mobile: recipients', () => {
  it('are looked up with getbymobile when no directory knows them, kept in .dingcast/directory.json, and shown resolved in the plan', async () => {
    const dir = project('groups:\n  leads: ["mobile:13800000003"]\nnotifications:\n  n:\n    template: note@1\n    to: { users: ["mobile:13800000000", lisi], groups: [leads], users_file: data/team.csv }\n', {
      'data/team.csv': 'name,mobile\n王五,13800000002\n张三,13800000000\n',
    });
    const plan = await runCli(['send', 'n', '--dry-run', '--json', '--project', dir], { env: sb.env });
    expect(plan.code, plan.stderr).toBe(0);
    const n = (JSON.parse(plan.stdout) as PlanJson).notifications[0]!;
    expect(n.recipients.users).toEqual(['zhangsan', 'lisi', 'zhaoliu', 'wangwu']);
    expect(n.mobiles).toEqual([
      { mobile: '13800000000', userid: 'zhangsan' },
      { mobile: '13800000003', userid: 'zhaoliu' },
      { mobile: '13800000002', userid: 'wangwu' },
    ]);
    // The answers are kept.
    const file = JSON.parse(readFileSync(join(dir, '.dingcast/directory.json'), 'utf8')) as { mobiles: Record<string, string>; pulled_at?: string };
    expect(file.mobiles).toEqual({ 13800000000: 'zhangsan', 13800000003: 'zhaoliu', 13800000002: 'wangwu' });
    expect(file.pulled_at).toBeUndefined();

    // The next run asks nothing (DingTalk is out of reach), and the text plan says who the mobiles are.
    const again = await runCli(['send', 'n', '--dry-run', '--project', dir], { env: NOWHERE });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/mobile:13800000000 → zhangsan, mobile:13800000003 → zhaoliu, mobile:13800000002 → wangwu/);

    // A file of look-ups is not a pulled organisation: validate does not take `lisi` for an unknown userid.
    const validate = await runCli(['validate', '--project', dir]);
    expect(validate.code, validate.stdout).toBe(0);

    // The real send reaches the resolved people, once each.
    const sent = await runCli(['send', 'n', '--project', dir], { env: sb.env });
    expect(sent.code, sent.stderr).toBe(0);
    for (const u of ['zhangsan', 'lisi', 'zhaoliu', 'wangwu']) expect((await sb.admin.inbox(u)).filter((m) => JSON.stringify(m.msg).includes('"hi"')).length, u).toBe(1);
  });

  it('a pulled directory resolves them without a look-up', async () => {
    const dir = project('notifications:\n  n:\n    template: note@1\n    to: { users: ["mobile:13800000001"] }\n');
    const pull = await runCli(['directory', 'pull', '--project', dir], { env: sb.env });
    expect(pull.code, pull.stderr).toBe(0);
    const plan = await runCli(['send', 'n', '--dry-run', '--json', '--project', dir], { env: NOWHERE });
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as PlanJson).notifications[0]!.recipients.users).toEqual(['lisi']);
    // A mobile it does not know (DingTalk shows mobiles to a pull only with the permission to read them) is looked
    // up: out of reach, that is a run that could not do its job.
    const pulledFile = join(dir, '.dingcast/directory.json');
    const pulled = JSON.parse(readFileSync(pulledFile, 'utf8')) as { mobiles: Record<string, string> };
    delete pulled.mobiles['13700000001'];
    writeFileSync(pulledFile, JSON.stringify(pulled));
    writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp: { agent_id: 100000001 }\nnotifications:\n  n:\n    template: note@1\n    to: { users: ["mobile:13700000001"] }\n');
    const unreachable = await runCli(['send', 'n', '--dry-run', '--project', dir], { env: NOWHERE });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9 to look up the 1 mobile recipient not in \.dingcast\/directory\.json/);
    const found = await runCli(['send', 'n', '--dry-run', '--json', '--project', dir], { env: sb.env });
    expect((JSON.parse(found.stdout) as PlanJson).notifications[0]!.recipients.users).toEqual(['sandbox-alice']);
    // The answer joins the pulled directory's map; the pull's users stay.
    const file = JSON.parse(readFileSync(join(dir, '.dingcast/directory.json'), 'utf8')) as { mobiles: Record<string, string>; users: unknown[] };
    expect(file.mobiles['13700000001']).toBe('sandbox-alice');
    expect(file.users.length).toBeGreaterThan(100);
  });

  it('an unknown mobile (or one of someone who left) is an error where it was written, and nothing is sent', async () => {
    const dir = project('notifications:\n  n:\n    template: note@1\n    to: { users: [lisi, "mobile:13999999999"], users_file: data/team.csv }\n', {
      'data/team.csv': 'mobile\n13800000000\n13800000009\n',
    });
    const tasks = (await sb.admin.tasks()).length;
    const r = await runCli(['send', 'n', '--project', dir], { env: sb.env });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/notifications\.yaml:6:\d+ .*unknown mobile `13999999999`: DingTalk \(getbymobile\) has no active user with it/);
    expect(r.stderr).toMatch(/data\/team\.csv:3:1 .*unknown mobile `13800000009`/);
    expect(r.stderr).not.toMatch(/13800000000`/);
    expect(r.stderr).toMatch(/nothing sent/);
    expect((await sb.admin.tasks()).length).toBe(tasks);
    // The one that was found is kept; the unknown ones are asked again next time (they may join).
    const file = JSON.parse(readFileSync(join(dir, '.dingcast/directory.json'), 'utf8')) as { mobiles: Record<string, string> };
    expect(file.mobiles).toEqual({ 13800000000: 'zhangsan' });
  });

  it('without app credentials or a directory, a look-up cannot happen: exit 2, nothing written', async () => {
    const dir = project('notifications:\n  n:\n    template: note@1\n    to: { users: ["mobile:13800000000"] }\n');
    const r = await runCli(['send', 'n', '--dry-run', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set, so the 1 mobile recipient not in \.dingcast\/directory\.json cannot be looked up \(getbymobile\)/);
    expect(existsSync(join(dir, '.dingcast/directory.json'))).toBe(false);
    const wrong = await runCli(['send', 'n', '--dry-run', '--project', dir], { env: { ...sb.env, DINGTALK_APP_SECRET: 'not-the-secret' } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/DingTalk refused .*while looking up the 1 mobile recipient/);
    expect(wrong.stderr).not.toContain('not-the-secret');
  });
});

describe('each: { key: mobile }', () => {
  it('sends each row to the person with that mobile, and an unknown mobile names its row', async () => {
    const csv = 'mobile,net\n13800000000,10001.11\n13800000001,20002.22\n';
    const dir = project('notifications:\n  slips:\n    template: slip@1\n    each: { file: data/pay.csv, key: mobile }\n', { 'data/pay.csv': csv });
    const plan = await runCli(['send', 'slips', '--dry-run', '--json', '--project', dir], { env: sb.env });
    expect(plan.code, plan.stderr).toBe(0);
    const n = (JSON.parse(plan.stdout) as PlanJson).notifications[0]!;
    expect(n.recipients.users.sort()).toEqual(['lisi', 'zhangsan']);
    expect(n.mobiles).toEqual([
      { mobile: '13800000000', userid: 'zhangsan' },
      { mobile: '13800000001', userid: 'lisi' },
    ]);
    const sent = await runCli(['send', 'slips', '--project', dir], { env: sb.env });
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.stringify((await sb.admin.inbox('zhangsan')).map((m) => m.msg))).toContain('10001.11');
    expect(JSON.stringify((await sb.admin.inbox('lisi')).map((m) => m.msg))).toContain('20002.22');
    // A re-run sends nothing: the rows' ledger keys are the resolved userids.
    const again = await runCli(['send', 'slips', '--dry-run', '--json', '--project', dir], { env: sb.env });
    expect((JSON.parse(again.stdout) as { notifications: { calls: unknown[] }[] }).notifications[0]!.calls).toEqual([]);

    writeFileSync(join(dir, 'data/pay.csv'), `${csv}13999999999,30003.33\n`);
    const bad = await runCli(['send', 'slips', '--project', dir], { env: sb.env });
    expect(bad.code, bad.stderr).toBe(1);
    expect(bad.stderr).toMatch(/data\/pay\.csv:4:1 .*unknown mobile `13999999999`/);
    // The row's line is not printed under the error: it holds a sensitive value.
    expect(bad.stderr).not.toContain('30003.33');
  });
});
