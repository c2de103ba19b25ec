// One rule for a valid agent_id (src/core/agentId.ts), on both paths: `validate` for the value written in
// notifications.yaml, `send` for that value or the variable it names, against a sandbox process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agentIdProblem } from '../../src/core/agentId.js';
import { runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { textProject } from '../send/_project.js';

vi.setConfig({ testTimeout: 120_000 });

let sb: SandboxProcess | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

function projectWithAgent(agent: string): string {
  const dir = textProject(['u1']);
  const file = join(dir, 'notifications.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace('agent_id: 100000001', `agent_id: ${agent}`));
  return dir;
}

async function sandbox(): Promise<SandboxProcess> {
  sb = await startSandboxProcess({ config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0, users: [{ userid: 'u1', dept_ids: [1] }], departments: [{ id: 1 }] } });
  return sb;
}

describe('the agent_id rule', () => {
  it.each([
    [100000001, true],
    ['100000001', true],
    [Number.MAX_SAFE_INTEGER, true],
    [0, false],
    [-5, false],
    [1.5, false],
    [2 ** 53, false],
    ['0x10', false],
    ['1e3', false],
    [' 12', false],
    ['12.0', false],
    ['012', false],
    ['', false],
    ['9007199254740993', false],
    [undefined, false],
  ])('%j valid: %s', (value, valid) => {
    expect(agentIdProblem(value) === undefined).toBe(valid);
  });
});

describe('validate and send agree on agent_id', () => {
  it('a number too large to send exactly: validate names it with its line, send refuses before any call', async () => {
    const dir = projectWithAgent('12345678901234567890');
    const v = await runCli(['validate', '--project', dir], { env: { DINGCAST_NO_CACHE: '1' } });
    expect(v.code, v.stdout + v.stderr).toBe(1);
    expect(v.stdout).toMatch(/notifications\.yaml:3:\d+.*app\.agent_id 12345678901234567890 is too large to be sent exactly/);
    const s = await sandbox();
    const r = await runCli(['send', 'note', '--project', dir], { env: s.env });
    expect(r.code, r.stdout + r.stderr).not.toBe(0);
    expect(r.stdout + r.stderr).toContain('app.agent_id 12345678901234567890 is too large');
    expect((await s.admin.calls()).calls.asyncsend_v2 ?? 0).toBe(0);
  });

  it('${VAR}: validate leaves the value to send, which applies the same rule to it', async () => {
    const dir = projectWithAgent('${MY_AGENT}');
    const v = await runCli(['validate', '--project', dir], { env: { DINGCAST_NO_CACHE: '1' } });
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const s = await sandbox();
    // Number('0x10') is 16, but 0x10 is no AgentId: refused, nothing sent.
    const bad = await runCli(['send', 'note', '--project', dir], { env: { ...s.env, DINGTALK_AGENT_ID: '', MY_AGENT: '0x10' } });
    expect(bad.code, bad.stdout + bad.stderr).toBe(2);
    expect(bad.stderr).toContain('no usable agent_id (${MY_AGENT} must be a positive whole number in decimal digits, got "0x10")');
    expect((await s.admin.calls()).calls.asyncsend_v2 ?? 0).toBe(0);
    // The sandbox app's AgentId, in digits: sent.
    const good = await runCli(['send', 'note', '--project', dir], { env: { ...s.env, DINGTALK_AGENT_ID: '', MY_AGENT: '100000001' } });
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(await s.admin.inboxCounts()).toEqual({ u1: 1 });
  });
});
