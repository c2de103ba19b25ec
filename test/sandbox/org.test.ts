import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { SAMPLE_COMPANY } from '../../src/sandbox/org/sample-company.js';
import { finishTasks, result, send, T0, token, type Json } from './_client.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

type Dept = { dept_id: number; name: string };
type Page = { has_more: boolean; next_cursor?: number; list: { userid: string; name: string; mobile?: string }[] };

async function contacts(s: Sandbox, path: string, body: Json, tok?: string): Promise<Json> {
  const res = await request(`${s.url}${path}?access_token=${encodeURIComponent(tok ?? (await token(s)))}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=utf-8' },
    body: JSON.stringify(body),
  });
  return (await res.body.json()) as Json;
}

describe('the sample company (the sandbox default organisation)', () => {
  it('is a realistic company: about 200 people, a dozen departments, Chinese names, unique mobiles, a few left staff', async () => {
    sb = await startSandbox({ now: T0 });
    const users = sb.state.users();
    expect(users.length).toBeGreaterThanOrEqual(180);
    expect(sb.state.departments().length).toBeGreaterThanOrEqual(13);
    const all = SAMPLE_COMPANY.departments.flatMap((d) => d.members ?? []);
    expect(all.every((m) => /^[\u4e00-\u9fff]{2,4}$/.test(m.name))).toBe(true);
    expect(new Set(all.map((m) => m.mobile)).size).toBe(all.length);
    expect(SAMPLE_COMPANY.left?.length).toBeGreaterThanOrEqual(2);
    expect(users.map((u) => u.userid)).not.toContain('wang.wu');
  });

  it('holds every user and department the repository’s own notifications.yaml names', async () => {
    sb = await startSandbox({ now: T0 });
    const notifications = parse(await readFile(new URL('../../notifications.yaml', import.meta.url), 'utf8')) as {
      notifications: Record<string, { to: { users?: string[]; departments?: (number | string)[] } }>;
    };
    const userIds = sb.state.users().map((u) => u.userid);
    const deptIds = sb.state.departments().map((d) => d.id);
    for (const n of Object.values(notifications.notifications)) {
      for (const u of n.to.users ?? []) expect(userIds).toContain(u);
      for (const d of n.to.departments ?? []) expect(deptIds).toContain(String(d));
    }
  });

  it('reports a typo and a left employee as invalid instead of giving them an inbox', async () => {
    sb = await startSandbox({ now: T0 });
    const { task_id } = await send(sb, { userid_list: 'zhangsan,zhangsna,wang.wu', dept_id_list: '10001,424242' });
    finishTasks(sb);
    const r = await result(sb, task_id!);
    expect(r.invalid_user_id_list).toEqual(['zhangsna', 'wang.wu']);
    expect(r.invalid_dept_id_list).toEqual([424242]);
    expect(r.unread_user_id_list).toContain('zhangsan');
    // 研发部 includes its sub-departments (平台组, 前端组, 移动端组).
    expect((r.unread_user_id_list as string[]).length).toBeGreaterThan(50);
  });
});

describe('contacts APIs', () => {
  it('lists sub-departments one level at a time, and direct members by page of at most 100', async () => {
    sb = await startSandbox({ now: T0 });
    const tok = await token(sb);
    const root = (await contacts(sb, '/topapi/v2/department/listsub', { dept_id: 1 }, tok)) as { errcode: number; result: Dept[] };
    expect(root.errcode).toBe(0);
    expect(root.result.map((d) => d.name)).toEqual(expect.arrayContaining(['研发部', '销售部', '财务部']));
    expect(root.result.map((d) => d.name)).not.toContain('平台组');
    const rd = (await contacts(sb, '/topapi/v2/department/listsub', { dept_id: 10001 }, tok)) as { result: Dept[] };
    expect(rd.result.map((d) => d.dept_id)).toEqual([10011, 10012, 10013]);
    expect((await contacts(sb, '/topapi/v2/department/listsub', { dept_id: 999 }, tok)).errcode).toBe(60003);

    const page = async (cursor: number, size: number) => (await contacts(sb!, '/topapi/v2/user/list', { dept_id: 30002, cursor, size }, tok)) as { errcode: number; result: Page };
    const page1 = await page(0, 30);
    expect(page1.result).toMatchObject({ has_more: true, next_cursor: 30 });
    const page2 = await page(30, 30);
    expect(page2.result.has_more).toBe(false);
    const ids = [...page1.result.list, ...page2.result.list].map((u) => u.userid);
    const listed = (await contacts(sb, '/topapi/user/listid', { dept_id: 30002 }, tok)) as { result: { userid_list: string[] } };
    expect(ids).toEqual(listed.result.userid_list);
    expect(page1.result.list[0]!.mobile).toMatch(/^1\d{10}$/);
    expect(page1.result.list[0]).toMatchObject({ dept_id_list: [30002] });
    expect((await page(0, 101)).errcode).toBe(40035);
  });

  it('finds active staff by mobile; an unknown or a left employee’s mobile finds nobody', async () => {
    sb = await startSandbox({ now: T0 });
    const tok = await token(sb);
    expect(await contacts(sb, '/topapi/v2/user/getbymobile', { mobile: '13800000000' }, tok)).toMatchObject({ errcode: 0, result: { userid: 'zhangsan' } });
    expect((await contacts(sb, '/topapi/v2/user/getbymobile', { mobile: '13999999999' }, tok)).errcode).toBe(60121);
    expect((await contacts(sb, '/topapi/v2/user/getbymobile', { mobile: '13800000009' }, tok)).errcode).toBe(60121);
  });

  it('needs a valid access_token like every other API', async () => {
    sb = await startSandbox({ now: T0 });
    expect((await contacts(sb, '/topapi/v2/user/getbymobile', { mobile: '13800000000' }, 'nope')).errcode).toBe(40014);
  });
});

describe('--directory FILE', () => {
  it('replaces the sample company with the file’s departments and members', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dingcast-org-'));
    const file = join(dir, 'org.yaml');
    await writeFile(
      file,
      'name: 小公司\ndepartments:\n  - id: 1\n    name: 小公司\n    members: [{ userid: boss, name: 老板, mobile: "13500000000" }]\n  - id: 7\n    name: 研发\n    parent_id: 1\n    members:\n      - { userid: dev1, name: 开发一 }\n      - { userid: boss, name: 老板 }\n',
    );
    sb = await startSandbox({ now: T0, directoryFile: file });
    expect(sb.state.users().map((u) => u.userid)).toEqual(['boss', 'dev1']);
    const { task_id } = await send(sb, { userid_list: 'zhangsan', dept_id_list: '7' });
    finishTasks(sb);
    expect(await result(sb, task_id!)).toMatchObject({ invalid_user_id_list: ['zhangsan'], unread_user_id_list: ['boss', 'dev1'] });
  });

  it.each([
    ['not a list of departments', 'users: []\n', /needs a `departments` list/],
    ['an unknown key', 'departments:\n  - { id: 2, name: x, manager: y }\n', /unknown key "manager"/],
    ['a parent that does not exist', 'departments:\n  - { id: 2, name: x, parent_id: 9 }\n', /parent_id 9 is not a department/],
    ['a member without userid', 'departments:\n  - { id: 2, name: x, members: [{ name: y }] }\n', /members\[0\]\.userid must be a non-empty string/],
  ])('refuses a file with %s', async (_, text, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'dingcast-org-'));
    await writeFile(join(dir, 'org.yaml'), text);
    await expect(startSandbox({ directoryFile: join(dir, 'org.yaml') })).rejects.toThrow(message);
  });
});
