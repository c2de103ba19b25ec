import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allLedgersText, runCli } from '../helpers/cli.js';

// issue #10 item 5: when reports/ cannot be written after a send, the summary and --json still print, the exit code
// says so (2), and the ledger holds the sends. `reports` as a plain file makes mkdir fail for every user, root too.
describe('reports that cannot be written after a send', () => {
  const work = mkdtempSync(join(tmpdir(), 'dingcast-reports-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const project = (name: string): string => {
    const dir = join(work, name);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'templates/t.yaml'), 'version: 1\ndescription: d\nvariables:\n  type: object\n  required: [body]\n  properties:\n    body: { type: string, maxLength: 50 }\nexamples:\n  typical: { body: hi }\nmsg:\n  msgtype: text\n  text: { content: "{{body}}" }\n');
    writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp:\n  agent_id: 100000001\nnotifications:\n  n1:\n    template: t@1\n    to:\n      users: [zhangsan, lisi]\n    vars: { body: hello }\n');
    writeFileSync(join(dir, 'reports'), 'not a folder\n');
    return dir;
  };

  it('prints the summary, says why, exits 2, and the ledger has the send', async () => {
    const dir = project('text');
    const r = await runCli(['send', '--all', '--sandbox', '-p', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/dingcast run \S+ \(sandbox\): 1 call, 2 recipients/);
    expect(r.stderr).toMatch(/the messages were sent, but the reports could not be written: .*reports/);
    expect(r.stderr).not.toContain('internal error');
    expect(allLedgersText(dir)).toMatch(/"type":"sent"/);
  }, 120_000);

  it('--json still prints the report', async () => {
    const r = await runCli(['send', '--all', '--sandbox', '--json', '-p', project('json')]);
    expect(r.code, r.stderr).toBe(2);
    const report = JSON.parse(r.stdout) as { format: string; totals: { recipients: number } };
    expect(report.format).toBe('dingcast.report/v1');
    expect(report.totals.recipients).toBe(2);
  }, 120_000);
});

// A full disk needs a small mount: only root can make one, so other users see this skipped by name.
const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)('reports on a full disk (a 64 KiB tmpfs as reports/; needs root)', () => {
  const work = mkdtempSync(join(tmpdir(), 'dingcast-reports-full-'));
  const mounted: string[] = [];
  afterAll(() => {
    for (const m of mounted) execFileSync('umount', [m]);
    rmSync(work, { recursive: true, force: true });
  });

  it('a send whose reports do not fit prints the summary, exits 2, keeps the sends in the ledger and moves no `latest`', async () => {
    const dir = join(work, 'p');
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'templates/t.yaml'), 'version: 1\ndescription: d\nvariables:\n  type: object\n  required: [body]\n  properties:\n    body: { type: string, maxLength: 50 }\nexamples:\n  typical: { body: hi }\nmsg:\n  msgtype: text\n  text: { content: "{{body}}" }\n');
    writeFileSync(join(dir, 'notifications.yaml'), 'version: 1\napp:\n  agent_id: 100000001\nnotifications:\n  n1:\n    template: t@1\n    to:\n      users: [zhangsan, lisi]\n    vars: { body: hello }\n');
    const reports = join(dir, 'reports');
    mkdirSync(reports);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', reports]);
    mounted.push(reports);
    // Fill the disk to the last few bytes.
    let size = 60 * 1024;
    for (;;) {
      try {
        writeFileSync(join(reports, 'filler'), Buffer.alloc(size));
        size += 128;
      } catch {
        break;
      }
    }
    const r = await runCli(['send', '--all', '--sandbox', '-p', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/dingcast run \S+ \(sandbox\): 1 call, 2 recipients/);
    expect(r.stderr).toMatch(/the messages were sent, but the reports could not be written/);
    expect(r.stderr).not.toContain('internal error');
    expect(allLedgersText(dir)).toMatch(/"type":"sent"/);
    expect(readdirSync(reports)).not.toContain('latest');
  }, 120_000);
});
if (!isRoot) console.warn('skipped: the full-disk report test needs root (it mounts a 64 KiB tmpfs)');
