import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';
import { makeProject } from '../send/_project.js';

const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('exit codes through the built CLI', () => {
  it.each([
    ['no project here', ['validate'], { cwd: mkdtempSync(join(tmpdir(), 'dingcast-empty-')) }, /no notifications.yaml in the current folder/],
    ['a missing --project folder', ['validate', '--project', '/nonexistent/dingcast'], {}, /project folder not found/],
    ['an unknown command', ['valdate'], {}, /unknown command 'valdate'[\s\S]*validate/],
    ['an unknown option', ['validate', '--frmat', 'json'], {}, /unknown option '--frmat'/],
    ['an unknown format', ['validate', '--format', 'xml'], {}, /argument 'xml' is invalid. Allowed choices are text, json/],
    ['a bad --at', ['render', '--dry-run', '--at', 'soon'], {}, /`soon` is not an ISO time, e.g. --at 2026-11-26T09:00:00\+08:00/],
    ['send without credentials', ['send', 'daily-report-platform'], {}, /DINGTALK_APP_KEY and DINGTALK_APP_SECRET are not set/],
    ['send with nothing named', ['send'], {}, /nothing to send/],
    ['render of an unknown id', ['render', 'no-such-thing', '--dry-run'], {}, /no notification or template named `no-such-thing`/],
  ])('%s → 2 with one clean line', async (_name, args, opts, message) => {
    const r = await runCli(args, opts);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r.stderr);
  });

  it('--version and --help exit 0', async () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect((await runCli(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await runCli(['render', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
  });

  it('validate on the repository examples → 0', async () => {
    const r = await runCli(['validate']);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/✔ valid: \d+ templates, \d+ notifications/);
  });
});

describe('validate --format json', () => {
  it('prints the documented shape', async () => {
    const r = await runCli(['validate', '--format', 'json', '--project', join(repoRoot, 'test/fixtures/link-snake-case-url')]);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout) as { format: string; valid: boolean; errors: { code: string; file: string; line: number; column: number; hint?: string }[] };
    expect(v.format).toBe('dingcast.validate/v1');
    expect(v.valid).toBe(false);
    expect(v.errors[0]).toMatchObject({ code: 'msg/unknown-key', file: 'templates/t.yaml', line: 13, column: 5 });
    expect(v.errors[0]?.hint).toContain('messageUrl');
  });
});

describe('render', () => {
  it('--dry-run prints the msg, its size, recipients and the number of calls', async () => {
    const r = await runCli(['render', 'release-api', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"msgtype": "markdown"/);
    expect(r.stdout).toMatch(/size: \d+\/2048 bytes/);
    expect(r.stdout).toMatch(/calls: 1 asyncsend_v2 call/);
    expect(r.stdout).toMatch(/to: 2 user\(s\)/);
  });

  it('--format json is the documented stable shape and chunks 100 users per call', async () => {
    const users = Array.from({ length: 245 }, (_, i) => `u${i}`);
    const dir = makeProject({
      'templates/t.yaml': 'version: 1\ndescription: t\nvariables: { type: object, properties: { who: { type: string, maxLength: 10 } } }\nexamples: { typical: { who: a } }\nmsg: { msgtype: text, text: { content: "hi {{who}}" } }\n',
      'notifications.yaml': `version: 1\napp: { agent_id: 1, kind: internal }\ntimezone: Asia/Shanghai\nnotifications:\n  n:\n    template: t@1\n    to: { users: [${users.join(', ')}], departments: [1, 2] }\n    vars: { who: 张三 }\n`,
    });
    const r = await runCli(['render', '--dry-run', '--format', 'json', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { format: string; items: { msg: unknown; bytes: number; limit: number; sha256: string; calls: { userids?: string[]; deptIds?: number[] }[] }[] };
    expect(out.format).toBe('dingcast.render/v1');
    const item = out.items[0];
    expect(item?.msg).toEqual({ msgtype: 'text', text: { content: 'hi 张三' } });
    expect(item?.bytes).toBe(Buffer.byteLength(JSON.stringify(item?.msg)));
    expect(item?.limit).toBe(2048);
    expect(item?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(item?.calls.map((c) => c.userids?.length)).toEqual([100, 100, 45]);
    expect(item?.calls[0]?.deptIds).toEqual(["1", "2"]);
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });

  it('renders a template with --var and writes build/ without --dry-run', async () => {
    const dir = makeProject();
    const r = await runCli(['render', 'release-note', '--var', 'service=billing', '--var', 'version=2.0.0', '--var', 'url=https://example.com/r', '--var', 'changes=[Faster, "Fix \\"quotes\\""]', '--project', dir]);
    expect(r.code, r.stderr).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, 'build', 'release-note.vars.json'), 'utf8')) as { markdown: { title: string; text: string } };
    expect(written.markdown.title).toContain('billing');
    expect(written.markdown.text).toContain('Fix "quotes"');
  });

  it('a value full of JSON and template syntax stays one string', async () => {
    const r = await runCli(['render', '--dry-run', '--format', 'json', '--project', join(repoRoot, 'test/fixtures/ok-hostile-values')]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { items: { msg: { markdown: { title: string } } }[] };
    expect(out.items[0]?.msg.markdown.title).toBe('"} {{x}} \\ \n </script>');
  });
});
