// A `sendbytemplate:` template (ISV apps) through dingcast's own pipeline: validate, render --dry-run, plan, send
// against `dingcast sandbox` in its own process, follow-up, reports and the ledger.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/core/send/types.js';
import { allLedgersText, runCli } from '../helpers/cli.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';

vi.setConfig({ testTimeout: 180_000 });

const AT = '2026-11-26T10:00:00+08:00';

const TEMPLATE = `version: 1
description: a release note through a template reviewed in DingTalk's console
variables:
  type: object
  additionalProperties: false
  required: [service, version]
  properties:
    service: { type: string, maxLength: 40 }
    version: { type: string, maxLength: 20 }
examples:
  typical: { service: api, version: 1.4.0 }
sendbytemplate:
  template_id: sandbox-template
  data:
    title: "{{service}} {{version}} 已发布"
    content: "发布于 {{@now}}"
`;

function project(opts: { kind?: 'isv' | 'internal'; to?: string; template?: string } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-sbt-'));
  const files: Record<string, string> = {
    'templates/release-isv.yaml': opts.template ?? TEMPLATE,
    'notifications.yaml': `version: 1
app:
  agent_id: 100000002
  kind: ${opts.kind ?? 'isv'}
timezone: Asia/Shanghai
notifications:
  release:
    template: release-isv@1
    to: { ${opts.to ?? 'users: [zhangsan, lisi]'} }
    vars: { service: api, version: 1.4.0 }
`,
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

function latest(dir: string): Report {
  const run = readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim();
  return JSON.parse(readFileSync(join(dir, 'reports', run, 'report.json'), 'utf8')) as Report;
}

describe('validate a sendbytemplate template', () => {
  it('refuses it for an internal app at the template reference (DingTalk answers 885001), and send sends nothing', async () => {
    const dir = project({ kind: 'internal' });
    const r = await runCli(['validate', '--project', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/notifications\.yaml:8:15 error msg\/template-send-internal .*app\.kind is internal: DingTalk answers 885001/);
    const sent = await runCli(['send', 'release', '--sandbox', '--at', AT, '--project', dir]);
    expect(sent.code).not.toBe(0);
    expect(sent.stdout + sent.stderr).toContain('885001');
    expect(allLedgersText(dir)).not.toContain('"intent"');
  });

  it('reports a missing template_id, a number field and `msg` beside it with file, line and column', async () => {
    const dir = project({
      template: 'version: 1\nsendbytemplate:\n  data:\n    count: 3\n',
    });
    writeFileSync(join(dir, 'templates/both.yaml'), 'version: 1\nmsg: { msgtype: text, text: { content: hi } }\nsendbytemplate: { template_id: x, data: {} }\n');
    writeFileSync(join(dir, 'templates/neither.yaml'), 'version: 1\ndescription: nothing to send\n');
    const r = await runCli(['validate', '--project', dir]);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/templates\/release-isv\.yaml:2:1 error schema\/missing-key `sendbytemplate` is missing the required key `template_id`/);
    expect(out).toMatch(/templates\/release-isv\.yaml:4:12 error schema\/type `sendbytemplate\.data\.count` must be a string; got number `3`/);
    expect(out).toContain('Quote the value: "3".');
    expect(out).toMatch(/templates\/both\.yaml:3:1 error template\/msg-and-sendbytemplate/);
    expect(out).toMatch(/templates\/neither\.yaml:1:1 error schema\/missing-key .*`msg`/);
    expect(out).toContain('`sendbytemplate: { template_id, data }`');
  });

  it('checks the rendered fields: undeclared variables at their column, white space in the id', async () => {
    const dir = project({
      template: 'version: 1\nvariables: { type: object, properties: {} }\nexamples: { e: {} }\nsendbytemplate:\n  template_id: "bad id"\n  data:\n    title: "hi {{nmae}}"\n',
    });
    const r = await runCli(['validate', '--project', dir]);
    expect(r.code).toBe(1);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/templates\/release-isv\.yaml:7:18 error template\/undeclared-variable the msg uses `nmae`/);
    expect(out).toMatch(/templates\/release-isv\.yaml:5:16 error msg\/bad-template-id/);
  });

  it('refuses all: true: sendbytemplate has no to_all_user', async () => {
    const r = await runCli(['validate', '--project', project({ to: 'all: true' })]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/notifications\.yaml:9:5 error msg\/template-send-all .*no to_all_user/);
  });

  it('warns about a line break in a field: template messages show none', async () => {
    const dir = project({ template: TEMPLATE.replace('"发布于 {{@now}}"', '"line one\\nline two"') });
    const r = await runCli(['validate', '--project', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/templates\/release-isv\.yaml:\d+:\d+ warning msg\/template-newline .*data\.content/);
  });
});

describe('render --dry-run of a sendbytemplate notification', () => {
  it('shows the template id, the data string as sent, its size, the recipients and the calls', async () => {
    const dir = project();
    const r = await runCli(['render', 'release', '--dry-run', '--at', AT, '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('sendbytemplate: template_id sandbox-template');
    const data = JSON.stringify({ title: 'api 1.4.0 已发布', content: '发布于 2026-11-26T10:00:00.000+08:00' });
    expect(r.stdout).toContain(`data: ${data}`);
    expect(r.stdout).toContain(`size: data is ${Buffer.byteLength(data)} bytes`);
    expect(r.stdout).toContain('to: 2 user(s): zhangsan, lisi');
    expect(r.stdout).toContain('calls: 1 sendbytemplate call(s)');

    const json = await runCli(['render', 'release', '--dry-run', '--format', 'json', '--at', AT, '--project', dir]);
    const item = (JSON.parse(json.stdout) as { items: Record<string, unknown>[] }).items[0];
    expect(item).toMatchObject({ api: 'sendbytemplate', limit: null, bytes: Buffer.byteLength(data), msg: { msgtype: 'sendbytemplate', sendbytemplate: { template_id: 'sandbox-template' } } });

    const html = await runCli(['render', 'release', '--dry-run', '--format', 'html', '--out', 'p.html', '--at', AT, '--project', dir]);
    expect(html.code, html.stderr).toBe(0);
    const page = readFileSync(join(dir, 'p.html'), 'utf8');
    expect(page).toContain('data-msgtype="sendbytemplate"');
    expect(page).toContain('<code>sandbox-template</code>');
    expect(page).toContain('api 1.4.0 已发布');
    expect(page).toContain('1 sendbytemplate call');
    expect(page).not.toContain('unsupported message');
  });
});

describe('send a sendbytemplate notification against a sandbox process', () => {
  let sb: SandboxProcess;
  beforeAll(async () => {
    sb = await startSandboxProcess({ config: { task_queue_ms: 0, task_base_ms: 0, task_per_recipient_ms: 0 } });
  });
  afterAll(() => sb?.close());
  afterEach(() => sb.admin.reset());

  it('sends through sendbytemplate with data as a JSON string, follows up, reports, and sends nothing the second time', async () => {
    const dir = project();
    const dry = await runCli(['send', 'release', '--dry-run', '--at', AT, '--project', dir], { env: sb.isvEnv });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/release release-isv@1 — sendbytemplate sandbox-template, data \d+ bytes/);

    const r = await runCli(['send', 'release', '--at', AT, '--project', dir], { env: sb.isvEnv });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const calls = (await sb.admin.calls()).calls;
    expect(calls.sendbytemplate).toBe(1);
    expect(calls.asyncsend_v2 ?? 0).toBe(0);
    expect(calls.getsendresult ?? 0).toBeGreaterThanOrEqual(1);
    const tasks = await sb.admin.tasks();
    expect(tasks.map((t) => t.template)).toEqual([{ template_id: 'sandbox-template', data: { title: 'api 1.4.0 已发布', content: '发布于 2026-11-26T10:00:00.000+08:00' } }]);
    const inbox = await sb.admin.inbox('zhangsan');
    expect(inbox).toHaveLength(1);
    expect(JSON.stringify(inbox[0]?.msg)).toContain('api 1.4.0 已发布');
    const report = latest(dir);
    expect(report.totals).toMatchObject({ calls: 1, recipients: 2, unread: 2, failed: 0, unknown: 0 });
    expect(report.notifications[0]?.template).toBe('release-isv@1');
    // The ledger holds the exact bytes: dingcast's sendbytemplate msg.
    expect(allLedgersText(dir)).toContain('\\"msgtype\\":\\"sendbytemplate\\"');

    // Later the same day, @now renders new bytes; the declared send is the same, so nothing goes out.
    const again = await runCli(['send', 'release', '--at', '2026-11-26T10:05:00+08:00', '--project', dir], { env: sb.isvEnv });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect((await sb.admin.calls()).calls.sendbytemplate).toBe(1);
    expect(await sb.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
  });

  it('after a lost answer, the next run sends the first attempt\'s exact bytes and nobody gets it twice', async () => {
    const dir = project();
    // Every try is processed (delivered) and its answer lost: the run cannot know it was sent.
    await sb.admin.addFaults({ kind: 'drop-answer', count: 5, endpoint: 'sendbytemplate' });
    const first = await runCli(['send', 'release', '--at', AT, '--project', dir], { env: sb.isvEnv });
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(latest(dir).totals.unknown).toBe(2);
    await sb.admin.clearFaults();
    const second = await runCli(['send', 'release', '--at', '2026-11-26T10:05:00+08:00', '--project', dir], { env: sb.isvEnv });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(await sb.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
    // The retry carried 10:00's rendering, not a new one of @now.
    const tasks = await sb.admin.tasks();
    expect(new Set(tasks.map((t) => JSON.stringify(t.template))).size).toBe(1);
    expect(tasks[0]?.template?.data.content).toBe('发布于 2026-11-26T10:00:00.000+08:00');
    const report = latest(dir);
    expect(report.totals.unknown + report.totals.failed).toBe(0);
  });
});
