import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInDirectory, indexDirectory, suggestUsers } from '../../src/core/recipients/directory.js';
import { createDingTalkClient } from '../../src/io/dingtalk/index.js';
import { pullDirectory, readDirectory, writeDirectory } from '../../src/io/directory.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

/** An organisation with one department of 250 people: DingTalk pages user/list by at most 100. */
function bigOrg(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-org-'));
  const members = Array.from({ length: 250 }, (_, i) => `      - { userid: sales${i + 1}, name: 销售${i + 1}号, mobile: "1590000${String(i).padStart(4, '0')}" }`).join('\n');
  const file = join(dir, 'org.yaml');
  writeFileSync(
    file,
    `name: 大销售公司\ndepartments:\n  - id: 1\n    name: 大销售公司\n    members: [{ userid: boss, name: 老板 }]\n  - id: 2\n    name: 销售部\n    parent_id: 1\n    members:\n${members}\n  - id: 3\n    name: 华东区\n    parent_id: 2\n    members:\n      - { userid: sales1, name: 销售1号 }\n      - { userid: east1, name: 华东一 }\n`,
  );
  return file;
}

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess({ directory: bigOrg() });
});
afterAll(async () => {
  await sb.close();
});

async function pull() {
  const client = createDingTalkClient({ baseUrl: sb.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 });
  try {
    return await pullDirectory((path, body) => client.callContacts(path, body), sb.url, new Date('2026-03-16T01:00:00Z'));
  } finally {
    await client.close();
  }
}

describe('pullDirectory against a sandbox in its own process', () => {
  it('reads every department and pages through a department of 250 people (user/list caps pages at 100)', async () => {
    const dir = await pull();
    expect(dir.departments.map((d) => [d.id, d.name, d.parent_id])).toEqual([
      ['1', '大销售公司', undefined],
      ['2', '销售部', '1'],
      ['3', '华东区', '2'],
    ]);
    expect(dir.users).toHaveLength(252);
    // One person in two departments is one user with both ids.
    expect(dir.users.find((u) => u.userid === 'sales1')).toMatchObject({ name: '销售1号', dept_ids: ['2', '3'], mobile: '15900000000' });
    expect(dir.mobiles['15900000249']).toBe('sales250');
    const index = indexDirectory(dir);
    expect([index.sizeOf(1), index.sizeOf(2), index.sizeOf(3)]).toEqual([252, 251, 2]);
  });

  it('saves .dingcast/directory.json owner-only, and reads it back', async () => {
    const project = mkdtempSync(join(tmpdir(), 'dingcast-dir-'));
    const dir = await pull();
    const file = await writeDirectory(project, dir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'dingcast.directory/v1', source: sb.url });
    expect((await readDirectory(project))?.users).toHaveLength(252);
    expect(await readDirectory(mkdtempSync(join(tmpdir(), 'dingcast-none-')))).toBeUndefined();
  });
});

describe('find and did-you-mean over the sample company', async () => {
  const sample = await startSandboxProcess();
  const client = createDingTalkClient({ baseUrl: sample.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 });
  const index = indexDirectory(await pullDirectory((p, b) => client.callContacts(p, b), sample.url, new Date()));
  await client.close();
  await sample.close();

  it.each([
    ['zhangsna', ['zhangsan (张三, 研发部)']],
    ['张三', ['zhangsan (张三, 研发部)']],
    ['wangwu1', ['wangwu (王五, SRE 组)']],
    ['nobody-like-this', []],
  ])('suggests for %s', (written, expected) => {
    expect(suggestUsers(index, written)).toEqual(expected);
  });

  it.each([
    ['13800000000', 'user', 'zhangsan'],
    ['张三', 'user', 'zhangsan'],
    ['zhaoliu', 'user', 'zhaoliu'],
    ['平台组', 'department', '10011'],
    ['20002', 'department', '20002'],
  ])('finds %s', (text, kind, id) => {
    expect(findInDirectory(index, text)).toContainEqual(expect.objectContaining({ kind, id }));
  });

  it('shows department sizes that count sub-departments once', () => {
    expect(findInDirectory(index, '研发部')[0]!.label).toMatch(/^研发部, \d+ people$/);
    expect(index.sizeOf(10001)).toBe(index.sizeOf(10011) + index.sizeOf(10012) + index.sizeOf(10013) + 6);
  });
});
