import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runSandboxCommand } from '../../src/cli/sandbox.js';
import { loadSandboxConfig, startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { call, finishTasks, send, T0, token } from './_client.js';

const CONFIG = `
apps:
  - { appkey: k1, appsecret: s1, agent_id: 11, kind: isv, name: 审批助手 }
users:
  - { userid: u1, name: 用户一, dept_ids: [2] }
  - { userid: u2, name: 用户二, dept_ids: [3] }
departments:
  - { id: 1, name: corp }
  - { id: 2, name: dev, parent_id: 1 }
  - { id: 3, name: web, parent_id: 2 }
userids_per_call: 100
daily_cap_isv: 100
read_after_ms: never
result_lists_as: string
faults:
  - { kind: errcode, errcode: 90002, count: 1, endpoint: getsendresult }
`;

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('loadSandboxConfig', () => {
  it('reads apps, directory, tunables and faults', () => {
    const config = loadSandboxConfig(CONFIG);
    expect(config.apps).toEqual([{ appkey: 'k1', appsecret: 's1', agent_id: 11, kind: 'isv', name: '审批助手' }]);
    expect(config.directory?.departments).toContainEqual({ id: '3', name: 'web', parent_id: '2' });
    expect(config.tunables).toEqual({ useridsPerCall: 100, dailyCapIsv: 100, readAfterMs: null, resultListsAs: 'string' });
    expect(config.faults).toEqual([{ kind: 'errcode', errcode: 90002, count: 1, endpoint: 'getsendresult' }]);
  });

  it.each([
    ['an unknown key', 'userid_per_call: 3', /unknown key "userid_per_call"/],
    ['a bad tunable value', 'qps_per_api: fast', /bad value for qpsPerApi/],
    ['a bad app kind', 'apps: [{ appkey: a, appsecret: b, agent_id: 1, kind: corp }]', /kind must be internal or isv/],
    ['an unknown user key', 'users: [{ userid: a, dept: 1 }]', /unknown key "dept"/],
    ['an unknown fault endpoint', 'faults: [{ kind: drop, endpoint: send }]', /endpoint must be one of/],
  ])('rejects %s', (_name, yaml, message) => {
    expect(() => loadSandboxConfig(yaml)).toThrow(message);
  });

  it('runs a sandbox from a config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dingcast-sandbox-'));
    await writeFile(join(dir, 'sandbox.yaml'), CONFIG);
    sb = await startSandbox({ now: T0, configFile: join(dir, 'sandbox.yaml') });
    const app = { appkey: 'k1', appsecret: 's1' };
    const tok = await token(sb, app);
    const { task_id } = await send(sb, { agent_id: 11, dept_id_list: '2' }, { token: tok });
    finishTasks(sb);
    expect((await call(sb, 'getsendresult', { agent_id: 11, task_id }, { token: tok })).errcode).toBe(90002);
    expect((await call(sb, 'getsendresult', { agent_id: 11, task_id }, { token: tok })).send_result).toMatchObject({ unread_user_id_list: 'u1,u2' });
  });
});

describe('runSandboxCommand', () => {
  it('starts on the given port and prints the URL, the app and DINGTALK_BASE_URL', async () => {
    const lines: string[] = [];
    const probe = await startSandbox(); // borrow a free port
    const port = probe.port;
    await probe.close();
    sb = await runSandboxCommand({ port, log: (l) => lines.push(l) });
    const out = lines.join('\n');
    expect(sb.port).toBe(port);
    expect(out).toContain(`DINGTALK_BASE_URL=http://127.0.0.1:${port}`);
    expect(out).toContain('appkey=sandbox-app-key appsecret=sandbox-app-secret agent_id=100000001');
    expect(sb.state.users().map((u) => u.userid)).toContain('zhaoliu');
  });
});
