import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

const TEMPLATE = 'version: 1\ndescription: n\nvariables: { type: object }\nmsg: { msgtype: text, text: { content: hi } }\n';

function projectWith(to: string, files: Record<string, string> = {}, top = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-check-'));
  const all = { 'templates/note.yaml': TEMPLATE, 'notifications.yaml': `version: 1\napp: { agent_id: 100000001 }\n${top}notifications:\n  n:\n    template: note@1\n    to: ${to}\n`, ...files };
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

async function pulled(dir: string): Promise<string> {
  const r = await runCli(['directory', 'pull', '--project', dir], { env: sb.env });
  expect(r.code, r.stderr).toBe(0);
  return dir;
}

describe('ids checked offline against the pulled directory', () => {
  it('validate: a typo in to.users, a group and a users file, each where it was written, with did-you-mean', async () => {
    const dir = await pulled(
      projectWith('{ users: [zhangsna, lisi], groups: [oncall], users_file: data/team.csv, departments: [10001, 10009] }', { 'data/team.csv': 'userid\nwangwu\nzhaoliuu\n' }, 'groups:\n  oncall: [张三]\n'),
    );
    const r = await runCli(['validate', '--project', dir]);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/notifications\.yaml:8:\d+ .*unknown userid `zhangsna`: not in the directory\n(?:.*\n){0,2} *hint: Did you mean zhangsan \(张三, 研发部\)\?/);
    expect(r.stdout).toMatch(/notifications\.yaml:4:\d+ .*unknown userid `张三` in group `oncall`[^\n]*\n(?:.*\n){0,2} *hint: Did you mean zhangsan \(张三, 研发部\)\?/);
    expect(r.stdout).toMatch(/data\/team\.csv:3:1 .*unknown userid `zhaoliuu`[^\n]*\n(?:.*\n){0,2} *hint: Did you mean zhaoliu \(赵六, 财务部\)\?/);
    expect(r.stdout).toMatch(/unknown department id `10009`[^\n]*\n(?:.*\n){0,2} *hint: Did you mean 10001 \(研发部, \d+ people\)/);
    expect(r.stdout).not.toMatch(/`lisi`|`wangwu`/);
  });

  it('send refuses before anything leaves, and a fixed project plans with department sizes', async () => {
    const dir = await pulled(projectWith('{ users: [zhangsna] }'));
    const refused = await runCli(['send', 'n', '--project', dir], { env: sb.env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unknown userid `zhangsna`/);
    expect(refused.stderr).toMatch(/nothing sent/);
    writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp: { agent_id: 100000001 }\nnotifications:\n  n:\n    template: note@1\n    to: { users: [zhangsan], departments: [20001] }\n');
    const plan = await runCli(['send', 'n', '--dry-run', '--json', '--project', dir], { env: sb.env });
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { warnings: string[] }).warnings).toContain('n: departments 20001 运维部 (13 people): about 13 people');
  });

  it('without a directory the plan says the ids were not checked', async () => {
    const dir = projectWith('{ users: [zhangsna] }');
    const plan = await runCli(['send', 'n', '--dry-run', '--json', '--project', dir]);
    expect(plan.code, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as { warnings: string[] }).warnings).toContainEqual(expect.stringMatching(/recipient ids were not checked: no \.dingcast\/directory\.json/));
  });
});
