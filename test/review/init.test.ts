import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

const temp = () => mkdtempSync(join(tmpdir(), 'dingcast-init-'));

/** The `$schema=` path of a file's modeline, resolved against the file's folder. */
function modelineTarget(file: string): string {
  const m = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'));
  if (!m) throw new Error(`${file} has no modeline`);
  return resolve(dirname(file), m[1]!);
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

describe('dingcast init', () => {
  it('scaffolds an empty folder into a project that validates, renders and previews cleanly', async () => {
    const dir = join(temp(), 'notices'); // does not exist yet
    const r = await runCli(['init', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(listFiles(dir)).toEqual(['.gitignore', 'notifications.yaml', 'schema/notifications.schema.json', 'schema/template.schema.json', 'templates/hello.yaml']);
    expect(r.stdout).toContain('created templates/hello.yaml');
    expect(r.stdout).toContain('editor schemas: copied to schema/');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('# dingcast: local state, run reports and credentials (.env)\n.dingcast/\n/reports/\n/build/\n.env\n');
    // The modelines point at the copied schemas, which are the shipped ones.
    expect(modelineTarget(join(dir, 'notifications.yaml'))).toBe(join(dir, 'schema/notifications.schema.json'));
    expect(modelineTarget(join(dir, 'templates/hello.yaml'))).toBe(join(dir, 'schema/template.schema.json'));
    expect(readFileSync(join(dir, 'schema/template.schema.json'), 'utf8')).toBe(readFileSync(join(repoRoot, 'schema/template.schema.json'), 'utf8'));

    const v = await runCli(['-p', dir, 'validate', '--format', 'json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, errors: [], warnings: [] });
    const render = await runCli(['-p', dir, 'render', '--dry-run', '--format', 'json', '--at', '2026-03-02T09:00:00+08:00']);
    expect(render.code).toBe(0);
    expect(render.stdout).toContain('"title": "平台组 update"');
  });

  it('refuses to overwrite, naming every file in the way, and writes nothing', async () => {
    const dir = temp();
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'notifications.yaml'), 'mine\n');
    writeFileSync(join(dir, 'templates/hello.yaml'), 'mine too\n');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('notifications.yaml, templates/hello.yaml already exist');
    expect(r.stderr).toContain('init never overwrites');
    expect(readFileSync(join(dir, 'notifications.yaml'), 'utf8')).toBe('mine\n');
    expect(listFiles(dir)).toEqual(['notifications.yaml', 'templates/hello.yaml']);
  });

  it('refuses a second init in the same folder', async () => {
    const dir = temp();
    expect((await runCli(['init', dir])).code).toBe(0);
    const before = listFiles(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const again = await runCli(['init', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/error notifications\.yaml, templates\/hello\.yaml, schema\/notifications\.schema\.json, schema\/template\.schema\.json already exist/);
    expect(listFiles(dir).map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
  });

  it('joins a non-empty folder: keeps other files and appends only missing .gitignore lines', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'README.md'), '# my repo\n');
    writeFileSync(join(dir, '.gitignore'), 'node_modules/\nreports/'); // no final newline; reports/ already there
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'templates/other.yaml'), 'kept\n');
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('updated .gitignore');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\nreports/\n\n# dingcast: local state, run reports and credentials (.env)\n.dingcast/\n/build/\n.env\n');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# my repo\n');
    expect(readFileSync(join(dir, 'templates/other.yaml'), 'utf8')).toBe('kept\n');

    // A .gitignore that already has both lines is left alone.
    const other = temp();
    writeFileSync(join(other, '.gitignore'), '/.dingcast/\n/reports/\n/build/\n.env\n');
    const o = await runCli(['init'], { cwd: other });
    expect(o.code).toBe(0);
    expect(o.stdout).not.toContain('.gitignore');
    expect(readFileSync(join(other, '.gitignore'), 'utf8')).toBe('/.dingcast/\n/reports/\n/build/\n.env\n');
  });

  it('links the modelines to an installed dingcast package instead of copying, unless --copy-schema', async () => {
    const repo = temp();
    cpSync(join(repoRoot, 'schema'), join(repo, 'node_modules/dingcast/schema'), { recursive: true });
    const dir = join(repo, 'ops/notices');
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('editor schemas: ../../node_modules/dingcast/schema (the installed dingcast package)');
    expect(existsSync(join(dir, 'schema'))).toBe(false);
    expect(readFileSync(join(dir, 'notifications.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.\.\/node_modules\/dingcast\/schema\/notifications\.schema\.json\n/);
    expect(modelineTarget(join(dir, 'templates/hello.yaml'))).toBe(join(repo, 'node_modules/dingcast/schema/template.schema.json'));
    expect((await runCli(['-p', dir, 'validate'])).code).toBe(0);

    const copied = join(repo, 'other');
    const c = await runCli(['init', '--copy-schema', copied]);
    expect(c.code).toBe(0);
    expect(modelineTarget(join(copied, 'notifications.yaml'))).toBe(join(copied, 'schema/notifications.schema.json'));
  });

  it('uses --project when no DIR is given', async () => {
    const dir = temp();
    const r = await runCli(['-p', dir, 'init']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'notifications.yaml'))).toBe(true);
  });
});
