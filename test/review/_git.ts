import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/cli.js';

/** A temp folder holding a copy of this repository's example project (10 notifications, every msgtype). */
export function copyExampleProject(into = mkdtempSync(join(tmpdir(), 'dingcast-review-'))): string {
  cpSync(join(repoRoot, 'templates'), join(into, 'templates'), { recursive: true });
  cpSync(join(repoRoot, 'notifications.yaml'), join(into, 'notifications.yaml'));
  cpSync(join(repoRoot, 'assets'), join(into, 'assets'), { recursive: true });
  return into;
}

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
}

/** A new repository on branch `main` with everything in `dir` committed. */
export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
}

export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** Replace exactly one occurrence of `from` (a test that edits the wrong thing must fail loudly). */
export function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`${file}: expected exactly one \`${from}\``);
  writeFileSync(file, text.slice(0, at) + to + text.slice(at + from.length));
}
