import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';

// issue #10 item 6: every user mistake is one clean error naming the file (and position), never a stack trace.
const work = mkdtempSync(join(tmpdir(), 'dingcast-mistakes-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TEMPLATE = `version: 1
description: one variable
variables:
  type: object
  required: [body]
  properties:
    body: { type: string, maxLength: 100 }
examples:
  typical: { body: hello }
msg:
  msgtype: text
  text: { content: "{{body}}" }
`;
const NOTIFICATIONS = `version: 1
app:
  agent_id: 100000001
timezone: Asia/Shanghai
notifications:
  n1:
    template: t@1
    to:
      users: [zhangsan, lisi]
    vars: { body: hello }
`;
const BOMB = `a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
`;

let n = 0;
function project(extra: (dir: string) => void = () => {}): string {
  const dir = join(work, `p${n++}`);
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'templates/t.yaml'), TEMPLATE);
  writeFileSync(join(dir, 'notifications.yaml'), NOTIFICATIONS);
  extra(dir);
  return dir;
}

function expectClean(r: CliResult, code: number, ...wanted: (string | RegExp)[]): void {
  const output = r.stdout + r.stderr;
  expect(output).not.toContain('internal error');
  expect(output, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(r.code, output).toBe(code);
  for (const w of wanted) expect(output).toMatch(w);
}

describe('mistakes in command-line values', () => {
  it('an alias bomb in --vars is refused with its position', async () => {
    const dir = project((d) => writeFileSync(join(d, 'v.yaml'), `body: x\n${BOMB}`));
    expectClean(await runCli(['render', 't', '--vars', 'v.yaml', '--dry-run', '-p', dir]), 2, /--vars file v\.yaml is not valid YAML at line 3, column \d+: .*aliases/);
  });

  it('a duplicate key in --vars is an error, not a silent overwrite', async () => {
    const dir = project((d) => writeFileSync(join(d, 'v.yaml'), 'body: x\nbody: y\n'));
    expectClean(await runCli(['render', 't', '--vars', 'v.yaml', '--dry-run', '-p', dir]), 2, /--vars file v\.yaml is not valid YAML at line 2, column 1: Map keys must be unique/);
  });

  it('--vars naming a UTF-16 file says so', async () => {
    const dir = project((d) => writeFileSync(join(d, 'v.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('body: x\n', 'utf16le')])));
    expectClean(await runCli(['render', 't', '--vars', 'v.yaml', '--dry-run', '-p', dir]), 2, /cannot read --vars file v\.yaml:1:1: the file is UTF-16/);
  });

  it('--var "name=[" says the value is not valid YAML and how to quote it', async () => {
    expectClean(await runCli(['render', 't', '--var', 'body=[', '--dry-run', '-p', project()]), 2, /--var `body=\[` is not valid YAML/, /quote it/);
  });

  it('--example __proto__ is an unknown example, not a missing variable', async () => {
    const r = await runCli(['render', 't', '--example', '__proto__', '--dry-run', '-p', project()]);
    expectClean(r, 2, /template `t` has no example `__proto__`/, /Its examples: typical/);
    expect(r.stderr).not.toContain('missing variable');
  });
});

describe('files that are not what they seem', () => {
  it('a folder named templates/x.yaml', async () => {
    const dir = project((d) => mkdirSync(join(d, 'templates/x.yaml')));
    expectClean(await runCli(['validate', '-p', dir]), 1, /templates\/x\.yaml error file\/unreadable .*a folder, not a file/);
  });

  it('a symlink loop in templates/', async () => {
    const dir = project((d) => symlinkSync('loop.yaml', join(d, 'templates/loop.yaml')));
    expectClean(await runCli(['validate', '-p', dir]), 1, /templates\/loop\.yaml error file\/unreadable .*symbolic link loop/);
  });

  it('a folder named notifications.yaml is not "no notifications.yaml"', async () => {
    const dir = project((d) => {
      rmSync(join(d, 'notifications.yaml'));
      mkdirSync(join(d, 'notifications.yaml'));
    });
    const r = await runCli(['validate', '-p', dir]);
    expectClean(r, 1, /notifications\.yaml cannot be read: it is a folder/);
    expect(r.stderr + r.stdout).not.toContain('not found');
  });

  it('a template symlinked from outside the project is not read', async () => {
    const outside = join(work, 'outside-template.yaml');
    writeFileSync(outside, TEMPLATE);
    const dir = project((d) => symlinkSync(outside, join(d, 'templates/o.yaml')));
    expectClean(await runCli(['validate', '-p', dir]), 1, /templates\/o\.yaml error path\/outside-project .*symbolic link to a file outside the project/);
  });

  it('a vars_file symlinked from outside the project is not read', async () => {
    const outside = join(work, 'outside-vars.yaml');
    writeFileSync(outside, 'body: the secret next door\n');
    const dir = project((d) => {
      symlinkSync(outside, join(d, 'v.yaml'));
      writeFileSync(join(d, 'notifications.yaml'), NOTIFICATIONS.replace('    vars: { body: hello }', '    vars_file: v.yaml'));
    });
    const r = await runCli(['render', 'n1', '--dry-run', '-p', dir]);
    expectClean(r, 1, /notifications\.yaml:10:16 error vars-file\/unreadable .*symbolic link to a file outside the project/);
    expect(r.stdout).not.toContain('the secret next door');
  });

  it('a null line in the ledger names the ledger and the line', async () => {
    const dir = project((d) => {
      mkdirSync(join(d, '.dingcast'));
      writeFileSync(join(d, '.dingcast/ledger.sandbox.jsonl'), '\nnull\n');
    });
    expectClean(await runCli(['send', '--all', '--sandbox', '-p', dir]), 2, /ledger\.sandbox\.jsonl line 2 is not a ledger record: null/);
  });
});

describe('the sandbox config', () => {
  it('an alias bomb is refused with its position', async () => {
    const dir = project((d) => writeFileSync(join(d, 'sandbox.yaml'), BOMB));
    expectClean(await runCli(['sandbox', '--port', '0', '--config', join(dir, 'sandbox.yaml'), '-p', dir]), 2, /sandbox\.yaml:2:\d+: .*aliases/);
  });

  it('a duplicate key is an error', async () => {
    const dir = project((d) => writeFileSync(join(d, 'sandbox.yaml'), 'read_after_ms: 1\nread_after_ms: 2\n'));
    expectClean(await runCli(['sandbox', '--port', '0', '--config', join(dir, 'sandbox.yaml'), '-p', dir]), 2, /sandbox\.yaml:2:1: Map keys must be unique/);
  });
});

// A read-only file system needs a mount: only root can make one, so other users see this skipped by name.
const isRoot = process.getuid?.() === 0;
describe.skipIf(!isRoot)('a read-only project folder (EROFS; needs root for a read-only tmpfs)', () => {
  const mnt = join(work, 'ro');
  afterAll(() => {
    try {
      execFileSync('umount', [mnt]);
    } catch {
      // never mounted
    }
  });

  it('send and render say the file system is read-only (exit 2)', async () => {
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]);
    cpSync(project(), join(mnt, 'p'), { recursive: true });
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    const dir = join(mnt, 'p');
    expectClean(await runCli(['send', '--all', '--sandbox', '-p', dir]), 2, /cannot write .*: the file system is read-only/, /\.dingcast\//);
    expectClean(await runCli(['render', '--all', '-p', dir]), 2, /cannot write .*: the file system is read-only/);
  });
});

