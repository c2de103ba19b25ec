import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaValidator } from '../../src/core/schemas.js';
import type { BrokenNotification, Report } from '../../src/core/send/types.js';
import { allLedgersText, repoRoot, runCli } from '../helpers/cli.js';
import { useSandboxProcess } from '../helpers/sandboxProcess.js';
import { makeProject } from '../send/_project.js';

/**
 * One broken notification stops only itself (issue 16 item 3): `send --all` and `send --due` send the healthy ones,
 * name the broken ones with file:line:column and exit 1; a broken notification named on the command line refuses;
 * an error of the whole project still stops everything. Sent to `dingcast sandbox` in its own process.
 */
const sandbox = useSandboxProcess();

const template = (extra = '') =>
  `version: 1\ndescription: a note\nvariables:\n  type: object\n  required: [name]\n  properties:\n    name: { type: string, maxLength: 40 }\nexamples:\n  typical: { name: team }\nmsg:\n  msgtype: text\n  text:\n    content: "hello {{name}}${extra}"\n`;

/** hello (zhangsan) is healthy; typo (lisi) misspells `to`, which fails notifications.yaml's schema; long (wangwu) gives a value too long for its template. */
const NOTIFICATIONS = [
  'version: 1',
  'app:',
  '  agent_id: 100000001',
  'timezone: Asia/Shanghai',
  'notifications:',
  '  hello:',
  '    template: note@1',
  '    schedule: "0 18 * * *"',
  '    to: { users: [zhangsan] }',
  '    vars: { name: team }',
  '  typo:',
  '    template: note@1',
  '    schedule: "0 18 * * *"',
  '    too: { users: [lisi] }',
  '    vars: { name: team }',
  '  long:',
  '    template: note@1',
  '    to: { users: [wangwu] }',
  `    vars: { name: "${'x'.repeat(60)}" }`,
  '',
].join('\n');

function project(notifications = NOTIFICATIONS, templates: Record<string, string> = {}): string {
  return makeProject({ 'templates/note.yaml': template(), 'notifications.yaml': notifications, ...templates });
}

const send = (dir: string, ...args: string[]) => runCli(['send', ...args, '--project', dir], { env: sandbox.env });

/** The latest run's report files. */
function reportOf(dir: string): { json: Report; md: string; junit: string; html: string } {
  const run = join(dir, 'reports', readFileSync(join(dir, 'reports', 'latest'), 'utf8').trim());
  const read = (f: string) => readFileSync(join(run, f), 'utf8');
  return { json: JSON.parse(read('report.json')) as Report, md: read('report.md'), junit: read('junit.xml'), html: read('report.html') };
}

describe('a broken notification blocks only itself', () => {
  it('send --all sends the healthy one, names each broken one at its line and column, and exits 1', async () => {
    const r = await send(project(), '--all');
    expect(r.code, r.stderr).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
    // typo's unknown key (line 14) and long's value (line 19, column 19), each with its code frame.
    expect(r.stderr).toMatch(/notifications\.yaml:14:5 error schema\/unknown-key unknown key `too` in `notifications\.typo`/);
    expect(r.stderr).toMatch(/notifications\.yaml:19:19 error vars\/too-long notification `long`/);
    expect(r.stderr).toMatch(/✖ not sent: typo \(\d+ error\(s\) above\)/);
    expect(r.stderr).toMatch(/✖ not sent: long \(1 error\(s\) above\)/);
    expect(r.stdout).toMatch(/ok +hello note@1/);
    // The run's summary names them as failed too, with their first error.
    expect(r.stdout).toMatch(/FAIL typo: not sent: \d+ errors \(notifications\.yaml:\d+:\d+ schema\//);
    expect(r.stdout).toMatch(/FAIL long: not sent: 1 error \(notifications\.yaml:19:19 vars\/too-long/);
  });

  it('send --all writes the broken ones into report.json, report.md and junit.xml as failed, with their errors', async () => {
    const dir = project();
    const r = await send(dir, '--all');
    expect(r.code, r.stderr).toBe(1);
    const { json, md, junit, html } = reportOf(dir);
    expect(json.notifications.map((n) => n.id)).toEqual(['hello']);
    expect(json.broken?.map((b) => b.id).sort()).toEqual(['long', 'typo']);
    const typo = json.broken?.find((b) => b.id === 'typo');
    expect(typo?.diagnostics).toContainEqual(expect.objectContaining({ file: 'notifications.yaml', line: 14, column: 5, code: 'schema/unknown-key' }));
    const long = json.broken?.find((b) => b.id === 'long');
    expect(long?.diagnostics).toEqual([expect.objectContaining({ file: 'notifications.yaml', line: 19, column: 19, code: 'vars/too-long' })]);
    expect(long?.diagnostics[0]?.message).toMatch(/notification `long`/);
    // report.md: a failed section per left-out notification, each error at its place, with its hint if it has one.
    expect(md).toMatch(/### ❌ typo: not sent \(\d+ errors\)/);
    expect(md).toMatch(/- notifications\.yaml:14:5 schema\/unknown-key unknown key .*too.* \(hint: Did you mean .*to.*\?\)/);
    expect(md).toMatch(/### ❌ long: not sent \(1 error\)/);
    expect(md).toMatch(/- notifications\.yaml:19:19 vars\/too-long notification .*long.*: .*name.* is 60 characters; at most 40 allowed/);
    expect(md).toMatch(/### ✅ hello/);
    // junit.xml: one failing case each, beside hello's passing call.
    expect(junit).toMatch(/<testcase classname="dingcast\.typo" name="typo not sent" time="0">\n\s*<failure message="not sent: \d+ errors \(notifications\.yaml:/);
    expect(junit).toMatch(/<testcase classname="dingcast\.long" name="long not sent"[^>]*>\n\s*<failure [^>]*type="invalid">notifications\.yaml:19:19 vars\/too-long/);
    expect(junit).toMatch(/<testsuites [^>]*tests="3" failures="2"/);
    // report.html: a failed section each, beside hello's card.
    expect(html).toMatch(/<section class="rp-n" data-notification="long" data-ok="false" data-field="broken">.*not sent: 1 error.*notifications\.yaml:19:19 vars\/too-long/);
    expect(html).toMatch(/data-notification="hello" data-ok="true"/);
    // `dingcast report` gives the same verdict as the send: exit 1, and names them.
    const again = await runCli(['report', '--project', dir], { env: sandbox.env });
    expect(again.code, again.stderr).toBe(1);
    expect(again.stdout).toMatch(/FAIL typo: not sent/);
    // --json carries them too.
    const j = await send(project(), '--all', '--json');
    expect(j.code, j.stderr).toBe(1);
    expect((JSON.parse(j.stdout) as Report).broken?.map((b) => b.id).sort()).toEqual(['long', 'typo']);
  });

  it('send --dry-run --json lists the broken ones as the real run\'s report.json does (plan schema), and sends nothing', async () => {
    const dir = project();
    const dryRun = async (...args: string[]): Promise<{ code: number | null; broken?: BrokenNotification[] }> => {
      const r = await send(dir, '--dry-run', '--json', ...args);
      const json = JSON.parse(r.stdout) as { broken?: BrokenNotification[] };
      const valid = schemaValidator('plan');
      expect(valid(json), JSON.stringify(valid.errors)).toBe(true);
      return { code: r.code, ...(json.broken ? { broken: json.broken } : {}) };
    };
    const all = await dryRun('--all');
    expect(all.code).toBe(1);
    expect(all.broken?.map((b) => b.id).sort()).toEqual(['long', 'typo']);
    expect((await sandbox.admin.calls()).log).toEqual([]);
    // Due at 18:00: only typo is scheduled, so only typo is left out of that run.
    const due = await dryRun('--due', '--at', '2026-11-26T18:00:30+08:00');
    expect(due.code).toBe(1);
    expect(due.broken?.map((b) => b.id)).toEqual(['typo']);
    // A named healthy one: the others are not part of the run.
    const hello = await dryRun('hello');
    expect(hello.code).toBe(0);
    expect(hello.broken).toBeUndefined();
    // What the real run then writes is exactly what the dry run said.
    expect((await send(dir, '--all')).code).toBe(1);
    const sortById = (list: BrokenNotification[] | undefined) => [...(list ?? [])].sort((a, b) => a.id.localeCompare(b.id));
    expect(sortById(reportOf(dir).json.broken)).toEqual(sortById(all.broken));
    // One shape in both schemas (each schema compiles on its own, so the plan schema holds a copy).
    const definitions = (name: string) => (JSON.parse(readFileSync(join(repoRoot, 'schema', `${name}.schema.json`), 'utf8')) as { definitions: Record<string, unknown> }).definitions;
    for (const d of ['brokenNotification', 'brokenDiagnostic']) expect(definitions('plan')[d]).toEqual(definitions('report')[d]);
  });

  it('send --due fires the healthy due notification and leaves the broken due one out (exit 1)', async () => {
    const dir = project();
    const r = await send(dir, '--due', '--at', '2026-11-26T18:00:30+08:00');
    expect(r.code, r.stderr).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
    expect(r.stderr).toMatch(/✖ not sent: typo/);
    // long has no schedule: never due, so it is mentioned, not counted as left out of this run.
    expect(r.stderr).not.toMatch(/not sent: long/);
    expect(r.stderr).toMatch(/warning: long has errors and is not part of this run/);
    // The report lists only the one left out of this run.
    expect(reportOf(dir).json.broken?.map((b) => b.id)).toEqual(['typo']);
    // The healthy one's slot is recorded (fired once); the broken one's is not, so it goes out once it is fixed.
    const slots = allLedgersText(dir).split('\n').filter((l) => l.includes('"type":"slot"')).map((l) => (JSON.parse(l) as { notification: string }).notification);
    expect(slots).toEqual(['hello']);
  });

  it('send ID of a healthy notification sends it and only warns about the broken ones (exit 0)', async () => {
    const dir = project();
    const r = await send(dir, 'hello');
    expect(r.code, r.stderr).toBe(0);
    expect(reportOf(dir).json.broken).toBeUndefined();
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1 });
    expect(r.stderr).toMatch(/warning: typo, long have errors and are not part of this run/);
    expect(r.stderr).not.toMatch(/notifications\.yaml:14:5/);
  });

  it('send ID of a broken notification refuses with its errors and sends nothing', async () => {
    const r = await send(project(), 'hello', 'long');
    expect(r.code).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({});
    expect(r.stderr).toMatch(/notifications\.yaml:19:19 error vars\/too-long/);
    expect(r.stderr).toMatch(/✖ nothing sent: long has errors/);
    // The others' errors are not this command's business.
    expect(r.stderr).not.toMatch(/unknown key `too`/);
  });

  it('a broken template stops the notifications that use it; one nobody uses stops nothing', async () => {
    const notifications = NOTIFICATIONS.replace('too:', 'to:').replace(/ {2}long:[\s\S]*$/, '  other:\n    template: shout@1\n    to: { users: [wangwu] }\n    vars: { name: team }\n');
    const r = await send(project(notifications, { 'templates/shout.yaml': template('{{volume}}'), 'templates/unused.yaml': template('{{nope}}') }), '--all');
    expect(r.code, r.stderr).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({ zhangsan: 1, lisi: 1 });
    expect(r.stderr).toMatch(/templates\/shout\.yaml:13:\d+ error template\/undeclared-variable/);
    expect(r.stderr).toMatch(/✖ not sent: other/);
    expect(r.stderr).toMatch(/warning: templates\/unused\.yaml has errors, and no notification uses it/);
  });

  it('an error of the whole project (its time zone) still stops every send', async () => {
    const r = await send(project(NOTIFICATIONS.replace('Asia/Shanghai', 'Asia/Shanghia')), '--all');
    expect(r.code).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({});
    expect(r.stderr).toMatch(/notifications\.yaml:4:\d+ error/);
    expect(r.stderr).toMatch(/✖ nothing sent: the project has \d+ error\(s\)/);
  });

  it('every notification broken: nothing sent, exit 1', async () => {
    const r = await send(project(NOTIFICATIONS.replace('to: { users: [zhangsan] }', 'to: { users: [zhangsan], bogus: 1 }')), '--all');
    expect(r.code).toBe(1);
    expect(await sandbox.admin.inboxCounts()).toEqual({});
    expect(r.stderr).toMatch(/notifications\.yaml:9:\d+ error schema\/unknown-key/);
    expect(r.stderr).toMatch(/✖ nothing sent/);
    expect(r.stdout).toBe('');
  });
});
