import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { commitAll, edit, git, initRepo } from './_git.js';
import { BASE_PROJECT, writeProject } from './_project.js';

/** A repository whose `main` holds BASE_PROJECT, checked out on a feature branch. */
function repoOnFeature(sub = ''): { root: string; project: string } {
  const root = mkdtempSync(join(tmpdir(), 'dingcast-diff-'));
  const project = join(root, sub);
  writeProject(BASE_PROJECT, project);
  writeFileSync(join(root, 'README.md'), 'repo\n');
  initRepo(root);
  git(root, 'checkout', '-q', '-b', 'feature');
  return { root, project };
}

const AT = ['--at', '2026-03-02T09:00:00+08:00'];

describe('dingcast diff against real git repositories', () => {
  it('shows a changed template with its bumped pin, as a rendered diff, in text and Markdown', async () => {
    const { project } = repoOnFeature();
    edit(join(project, 'templates/note.yaml'), 'version: 1', 'version: 2');
    edit(join(project, 'templates/note.yaml'), '### {{service}} released', '### {{service}} shipped');
    edit(join(project, 'notifications.yaml'), 'template: note@1', 'template: note@2');
    commitAll(project, 'bump note');

    const text = await runCli(['diff', ...AT], { cwd: project });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('merge-base with main');
    expect(text.stdout).toContain('~ notification release (changed)');
    expect(text.stdout).toContain('template:   note@1 → note@2');
    expect(text.stdout).toMatch(/size: +(\d+) → \d+ B \(-1\)/);
    expect(text.stdout).toContain('-    ### api released');
    expect(text.stdout).toContain('+    ### api shipped');
    expect(text.stdout).toContain('~ template note (changed) version 1 → 2, used by release');
    // Unchanged notifications are not listed.
    expect(text.stdout).not.toContain('ping-ops');

    const md = await runCli(['diff', '--format', 'md', ...AT], { cwd: project });
    expect(md.code).toBe(0);
    expect(md.stdout.startsWith('<!-- dingcast-diff -->\n')).toBe(true);
    expect(md.stdout).toContain('| ✏️ changed | **release** | note@1 → note@2 |');
    expect(md.stdout).toContain('<details><summary><code>release</code>: rendered message diff</summary>');
    expect(md.stdout).toMatch(/```diff\n--- release \([0-9a-f]{7}\)\n\+\+\+ release \(working tree\)\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    expect(md.stdout).toContain('| ✏️ changed | **note** | 1 → 2 | typical');
  });

  it('lists a new notification with its whole message and a removed one, and recipient and call changes', async () => {
    const { project } = repoOnFeature();
    // 107 users: two calls at the default 100 a call.
    const many = Array.from({ length: 105 }, (_, i) => `u${i}`).join(', ');
    edit(join(project, 'notifications.yaml'), 'users: [zhangsan, lisi]', `users: [zhangsan, wangwu, ${many}]`);
    edit(join(project, 'notifications.yaml'), `  old-one:\n    template: ping@1\n    to:\n      users: [wangwu]\n    vars: { who: wangwu }\n`, `  new-one:\n    template: ping@1\n    to:\n      users: [zhaoliu]\n    vars: { who: zhaoliu }\n`);
    // Not committed: the working tree is the new side.
    const r = await runCli(['diff', ...AT], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 notification(s) changed, 1 added, 1 removed');
    expect(r.stdout).toContain('recipients: users +wangwu +u0');
    expect(r.stdout).toContain('−lisi');
    expect(r.stdout).toContain('calls:      1 → 2');
    expect(r.stdout).toContain('+ notification new-one (added)');
    expect(r.stdout).toContain('+text:\n    +  content: ping zhaoliu');
    expect(r.stdout).toContain('- notification old-one (removed)');
    expect(r.stdout).not.toContain('content: ping wangwu');

    const md = await runCli(['diff', '--format', 'md', ...AT], { cwd: project });
    expect(md.stdout).toContain('| ➕ added | **new-one** | ping@1 |');
    expect(md.stdout).toContain('| ➖ removed | **old-one** | ping@1 |');
    expect(md.stdout).toContain('users +wangwu');
  });

  it('reads vars files at the base revision from git', async () => {
    const { project } = repoOnFeature();
    writeFileSync(join(project, 'data/ping.json'), '{ "who": "sre" }\n');
    const r = await runCli(['diff', ...AT], { cwd: project });
    expect(r.stdout).toContain('~ notification ping-ops (changed)');
    expect(r.stdout).toContain('-  content: ping ops');
    expect(r.stdout).toContain('+  content: ping sre');
  });

  it('warns when the rendered content changed but the version did not', async () => {
    const { project } = repoOnFeature();
    edit(join(project, 'templates/ping.yaml'), 'content: "ping {{who}}"', 'content: "pong {{who}}"');
    const r = await runCli(['diff', ...AT], { cwd: project });
    expect(r.stdout).toContain('the rendered content changed but `version` is still 1');
    const md = await runCli(['diff', '--format', 'md', ...AT], { cwd: project });
    expect(md.stdout).toContain('⚠️ content changed, version not bumped');
    // Both notifications that use the template show the new text.
    expect(md.stdout).toContain('**ping-ops**');
    expect(md.stdout).toContain('**old-one**');
  });

  it('says so when nothing renders differently (a comment-only change)', async () => {
    const { project } = repoOnFeature();
    edit(join(project, 'notifications.yaml'), 'notifications:\n', '# who gets what\nnotifications:\n');
    const r = await runCli(['diff', ...AT], { cwd: project });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no rendered changes');
  });

  it('finds the merge base when main moved on, for a project in a subfolder, with an explicit --base too', async () => {
    const { root, project } = repoOnFeature('notices');
    edit(join(project, 'templates/note.yaml'), '### {{service}} released', '### {{service}} is out');
    commitAll(root, 'feature change');
    git(root, 'checkout', '-q', 'main');
    edit(join(project, 'templates/ping.yaml'), 'content: "ping {{who}}"', 'content: "main-only {{who}}"');
    commitAll(root, 'main moved');
    git(root, 'checkout', '-q', 'feature');

    // The default compares with the fork point, so main's later change is not shown as this branch's.
    const r = await runCli(['-p', 'notices', 'diff', ...AT], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+    ### api is out');
    expect(r.stdout).not.toContain('main-only');

    // Against main itself, main's change shows up (reversed) as well.
    const direct = await runCli(['-p', 'notices', 'diff', '--base', 'main', ...AT], { cwd: root });
    expect(direct.stdout).toContain('-  content: main-only ops');
  });

  it('prefers origin/HEAD in a clone', async () => {
    const { root: upstream } = repoOnFeature();
    git(upstream, 'checkout', '-q', 'main');
    const clone = mkdtempSync(join(tmpdir(), 'dingcast-clone-'));
    git(clone, 'clone', '-q', upstream, '.');
    git(clone, 'branch', '-q', '-m', 'main', 'work'); // no local main/master: only origin/HEAD can tell
    edit(join(clone, 'templates/ping.yaml'), 'content: "ping {{who}}"', 'content: "hello {{who}}"');
    const r = await runCli(['diff', ...AT], { cwd: clone });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('merge-base with origin/main');
    expect(r.stdout).toContain('+  content: hello ops');
  });

  it('treats everything as added when the base has no project', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dingcast-diff-'));
    writeFileSync(join(root, 'README.md'), 'x\n');
    initRepo(root);
    writeProject(BASE_PROJECT, root);
    const r = await runCli(['diff', '--base', 'HEAD', ...AT], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no dingcast project at HEAD');
    expect(r.stdout).toContain('3 added, 2 template(s) changed');
  });

  it('appends the Markdown to $GITHUB_STEP_SUMMARY under GitHub Actions', async () => {
    const { project } = repoOnFeature();
    edit(join(project, 'templates/note.yaml'), '- {{this}}', '* {{this}}');
    const summary = join(mkdtempSync(join(tmpdir(), 'dingcast-summary-')), 'summary.md');
    writeFileSync(summary, '## earlier step\n');
    const r = await runCli(['diff', ...AT], { cwd: project, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(0);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('## earlier step\n<!-- dingcast-diff -->\n')).toBe(true);
    expect(text).toContain('-    - Fix export\n+    * Faster login\n+    * Fix export');
    expect(text).toContain('```diff');
    // Without GITHUB_ACTIONS nothing is written.
    const before = readFileSync(summary, 'utf8');
    await runCli(['diff', ...AT], { cwd: project, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, 'utf8')).toBe(before);
  });
});

describe('dingcast diff refuses clearly (exit 2)', () => {
  it('outside a git repository', async () => {
    const dir = writeProject(BASE_PROJECT);
    const r = await runCli(['diff'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the current folder is not inside a git repository');
    expect(r.stdout).toBe('');
  });

  it('without git on the PATH', async () => {
    const { project } = repoOnFeature();
    const emptyBin = mkdtempSync(join(tmpdir(), 'dingcast-nobin-'));
    const r = await runCli(['diff'], { cwd: project, env: { PATH: emptyBin } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('git is not installed or not on the PATH');
  });

  it('for an unknown --base and a bad --format', async () => {
    const { project } = repoOnFeature();
    const r = await runCli(['diff', '--base', 'no-such-branch'], { cwd: project });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown git revision `no-such-branch`');
    const f = await runCli(['diff', '--format', 'html'], { cwd: project });
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("argument 'html' is invalid. Allowed choices are text, md, json.");
  });

  it('when no default branch can be found', async () => {
    const { root } = repoOnFeature();
    git(root, 'branch', '-q', '-D', 'main');
    const r = await runCli(['diff'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot tell the default branch');
    expect(r.stderr).toContain('--base');
  });

  it('when the working tree has no project', async () => {
    const { root, project } = repoOnFeature('p');
    renameSync(join(project, 'notifications.yaml'), join(root, 'moved.yaml'));
    rmSync(join(project, 'templates'), { recursive: true });
    mkdirSync(join(project, 'templates'));
    const r = await runCli(['-p', 'p', 'diff'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no notifications.yaml in p');
  });
});
