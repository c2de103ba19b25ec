// Department ids are 64-bit at DingTalk: exact strings end to end — the project, the pulled directory and its
// check, the request, the sandbox (its own process) and its answers (JSON numbers with every digit).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/core/send/types.js';
import { JsonLong, parseExact, stringifyExact } from '../../src/exactJson.js';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

vi.setConfig({ testTimeout: 180_000 });

const A = '12345678901234567890'; // as a double: 12345678901234567000, as is B
const B = '12345678901234567891';

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('exact JSON', () => {
  it('reads an integer beyond 2^53 as its digits, leaves smaller numbers and strings alone, and writes JsonLong as a number', () => {
    const v = parseExact(`{"dept_id":${B},"n":-5,"x":1.5e3,"s":"${B} \\"${A}\\"","list":[${A},7]}`) as Record<string, unknown>;
    expect(v).toEqual({ dept_id: B, n: -5, x: 1500, s: `${B} "${A}"`, list: [A, 7] });
    expect(stringifyExact({ dept_id: new JsonLong(B), ids: [new JsonLong('1')], s: B })).toBe(`{"dept_id":${B},"ids":[1],"s":"${B}"}`);
  });
});

describe('a department id above 2^53 against a sandbox in its own process', () => {
  it('is pulled, checked, sent and delivered as exactly itself; plain `0123` is department 123', async () => {
    sb = await startSandboxProcess({
      // Quoted in the sandbox's YAML: a plain one would be read as a double.
      config: `task_queue_ms: 0\ntask_base_ms: 0\ntask_per_recipient_ms: 0\ndepartments:\n  - { id: 1, name: corp }\n  - { id: "${A}", name: A, parent_id: 1 }\n  - { id: "${B}", name: B, parent_id: 1 }\n  - { id: 123, name: C, parent_id: 1 }\nusers:\n  - { userid: a1, dept_ids: ["${A}"] }\n  - { userid: b1, dept_ids: ["${B}"] }\n  - { userid: c1, dept_ids: [123] }\n`,
    });
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-deptwire-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates/note.yaml'), 'version: 1\ndescription: a note\nmsg:\n  msgtype: text\n  text:\n    content: "hello"\n');
    const project = (depts: string) => writeFileSync(join(dir, 'notifications.yaml'), `version: 1\napp:\n  agent_id: 100000001\n  kind: internal\ntimezone: Asia/Shanghai\nnotifications:\n  note:\n    template: note\n    to:\n      departments: [${depts}]\n`);
    project(`${B}, 0123`);

    const pulled = await runCli(['directory', 'pull', '-p', dir], { env: sb.env });
    expect(pulled.code, pulled.stdout + pulled.stderr).toBe(0);
    const saved = readFileSync(join(dir, '.dingcast', 'directory.json'), 'utf8');
    expect(saved).toContain(`"${A}"`);
    expect(saved).toContain(`"${B}"`);
    expect(saved).not.toContain('12345678901234567000');

    expect((await runCli(['validate', '-p', dir])).code).toBe(0);
    // One past B is no department, although as a double it is the same number as A and B.
    project(`${B}, 12345678901234567892`);
    const bad = await runCli(['validate', '-p', dir]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('unknown department id `12345678901234567892`');

    project(`${B}, 0123`);
    const sent = await runCli(['send', 'note', '-p', dir], { env: sb.env, timeoutMs: 120_000 });
    expect(sent.code, sent.stdout + sent.stderr).toBe(0);
    expect(await sb.admin.inboxCounts()).toEqual({ b1: 1, c1: 1 });
    const tasks = await sb.admin.tasks();
    expect(tasks.map((t) => t.dept_id_list)).toEqual([[B, '123']]);
    const latest = readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();
    const report = JSON.parse(readFileSync(join(dir, 'reports', latest, 'report.json'), 'utf8')) as Report;
    expect(Object.keys(report.notifications[0]?.recipients ?? {}).sort()).toEqual([`dept:${B}`, 'dept:0123'].sort());
  });

  it('answers invalid_dept_id_list with JSON numbers that keep every digit', async () => {
    sb = await startSandboxProcess({ config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0 } });
    const token = ((await (await request(`${sb.url}/gettoken?appkey=sandbox-app-key&appsecret=sandbox-app-secret`)).body.json()) as { access_token: string }).access_token;
    const post = async (endpoint: string, body: string) => (await request(`${sb!.url}/topapi/message/corpconversation/${endpoint}?access_token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).body.text();
    const sent = JSON.parse(await post('asyncsend_v2', `{"agent_id":100000001,"dept_id_list":"${B}","msg":{"msgtype":"text","text":{"content":"x"}}}`)) as { task_id: number };
    const text = await post('getsendresult', `{"agent_id":100000001,"task_id":${sent.task_id}}`);
    expect(text).toContain(`"invalid_dept_id_list":[${B}]`);
  });
});
