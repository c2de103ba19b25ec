// `dingcast send` for an ISV (third-party) app against `dingcast sandbox` in its own process.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { allLedgersText, runCli, type CliResult } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

const AT = '2026-11-26T10:00:00+08:00';
const SECRETS = ['sandbox-suite-secret', 'sandbox-suite-ticket'];

function isvProject(to = 'users: [zhangsan, lisi]'): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-isv-'));
  const files: Record<string, string> = {
    'templates/note.yaml': 'version: 1\ndescription: a note\nvariables: { type: object, properties: {} }\nmsg: { msgtype: text, text: { content: "ISV 通知" } }\n',
    'notifications.yaml': `version: 1\napp:\n  agent_id: \${DINGTALK_AGENT_ID}\n  kind: isv\ntimezone: Asia/Shanghai\nnotifications:\n  note:\n    template: note@1\n    to: { ${to} }\n`,
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** Everything the run printed or stored: stdout, stderr, every report file and the ledger. */
function everything(dir: string, r: CliResult): string {
  const reports = join(dir, 'reports');
  const files = (() => {
    try {
      return readdirSync(reports, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'));
    } catch {
      return [];
    }
  })();
  return [r.stdout, r.stderr, ...files, allLedgersText(dir)].join('\n');
}

let sb: SandboxProcess;
beforeAll(async () => {
  sb = await startSandboxProcess();
});
afterAll(() => sb?.close());
afterEach(() => sb.admin.reset());

describe('dingcast send with app.kind: isv', () => {
  it('authenticates with get_corp_token, delivers, and prints or stores no suite secret, ticket or token', async () => {
    const dir = isvProject();
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: sb.isvEnv });
    expect(r.code, r.stderr).toBe(0);
    const calls = (await sb.admin.calls()).calls;
    expect(calls.get_corp_token).toBeGreaterThanOrEqual(1);
    expect(calls.gettoken).toBe(0);
    expect(await sb.admin.inboxCounts()).toMatchObject({ zhangsan: 1, lisi: 1 });
    expect((await sb.admin.tasks()).map((t) => t.agent_id)).toEqual([100000002]);
    const text = everything(dir, r);
    for (const s of SECRETS) expect(text).not.toContain(s);
    expect(text).not.toMatch(/access_token=(?!<redacted>)/);
    // Sandbox tokens are 32 hex digits; none may appear anywhere (the ledger's call keys are 32 hex digits too).
    expect(text.replace(/"key": ?"[0-9a-f]{32}"/g, '')).not.toMatch(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/);
  });

  it('exits 2 and sends nothing when the suite secret is wrong, naming the variables to check', async () => {
    const dir = isvProject();
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env: { ...sb.isvEnv, DINGTALK_SUITE_SECRET: 'a-wrong-suite-secret' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/errcode 853004/);
    expect(r.stderr).toContain('DINGTALK_SUITE_SECRET');
    const calls = (await sb.admin.calls()).calls;
    expect(calls.asyncsend_v2).toBe(0);
    expect(calls.get_corp_token).toBe(1);
    const text = everything(dir, r);
    for (const s of [...SECRETS, 'a-wrong-suite-secret']) expect(text).not.toContain(s);
  });

  it('exits 2 before any call when a suite variable is missing', async () => {
    const dir = isvProject();
    const { DINGTALK_SUITE_TICKET: _t, ...env } = sb.isvEnv;
    const r = await runCli(['send', 'note', '--at', AT, '--project', dir], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/app\.kind is isv, and DINGTALK_SUITE_TICKET is not set/);
    expect((await sb.admin.calls()).calls.get_corp_token).toBe(0);
  });

  it('send --sandbox uses the sandbox ISV app for an isv project', async () => {
    const dir = isvProject();
    const r = await runCli(['send', 'note', '--sandbox', '--at', AT, '--project', dir], { env: {} });
    expect(r.code, r.stderr).toBe(0);
    const run = readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();
    const report = JSON.parse(readFileSync(join(dir, 'reports', run, 'report.json'), 'utf8')) as { agent_id: number; totals: { unread: number } };
    expect(report).toMatchObject({ agent_id: 100000002, totals: { unread: 2 } });
  });
});
