import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

let sb: SandboxProcess;
let project: string;
beforeAll(async () => {
  sb = await startSandboxProcess();
  project = mkdtempSync(join(tmpdir(), 'dingcast-directory-'));
});
afterAll(async () => {
  await sb.close();
});

describe('dingcast directory', () => {
  it('find before any pull says how to get a directory (exit 2)', async () => {
    const r = await runCli(['directory', 'find', '张三', '--project', mkdtempSync(join(tmpdir(), 'dingcast-empty-'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no directory yet.*\n.*dingcast directory pull/);
  });

  it('pull needs credentials (exit 2, nothing written)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-nocreds-'));
    const r = await runCli(['directory', 'pull', '--project', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DINGTALK_APP_KEY/);
    expect(existsSync(join(dir, '.dingcast'))).toBe(false);
  });

  it('pull reads the sample company from a sandbox in its own process, with a summary; the file is owner-only', async () => {
    const r = await runCli(['directory', 'pull', '--project', project], { env: sb.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/pulled 15 departments and 196 users \(196 with a mobile\) into .*directory\.json/);
    const file = join(project, '.dingcast', 'directory.json');
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ format: 'dingcast.directory/v1', source: sb.url });
    const json = await runCli(['directory', 'pull', '--json', '--project', project], { env: sb.env });
    expect(JSON.parse(json.stdout)).toMatchObject({ departments: 15, users: 196 });
  });

  it.each([
    ['张三', /^user {2}zhangsan +张三, 研发总监, 研发部, 13800000000$/m],
    ['13800000002', /^user {2}wangwu +王五, SRE 负责人, 运维部 \/ SRE 组, 13800000002$/m],
    ['平台组', /^dept {2}10011 +研发部 \/ 平台组, 32 people$/m],
  ])('find %s', async (text, line) => {
    const r = await runCli(['directory', 'find', text, '--project', project]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(line);
  });

  it('find with no match exits 1', async () => {
    const r = await runCli(['directory', 'find', 'wang.wu', '--project', project]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nobody and no department matches "wang.wu"/);
  });
});
