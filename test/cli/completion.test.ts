import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, repoRoot, runCli } from '../helpers/cli.js';
import { hasTmux, openTerminal, type Terminal } from '../helpers/tmux.js';

/**
 * `dingcast completion bash|zsh|fish` run by the real shells: bash's completion function with the words it would be
 * given, fish's own completion engine (`complete -C`), and an interactive zsh in a tmux pane pressing Tab.
 * The scripts call `dingcast completion --ids` at Tab time, so dingcast is put on PATH as the built CLI.
 */
const has = (shell: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${shell}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
for (const shell of ['zsh', 'fish']) if (!has(shell)) console.warn(`SKIPPED: ${shell} completion tests (${shell} is not installed; .ci/run installs it)`);

const bin = mkdtempSync(join(tmpdir(), 'dingcast-bin-'));
writeFileSync(join(bin, 'dingcast'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} "$@"\n`);
chmodSync(join(bin, 'dingcast'), 0o755);
const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' };

async function script(shell: string): Promise<string> {
  const r = await runCli(['completion', shell]);
  expect(r.code, r.stderr).toBe(0);
  const file = join(mkdtempSync(join(tmpdir(), 'dingcast-completion-')), `dingcast.${shell}`);
  writeFileSync(file, r.stdout);
  return file;
}

describe('dingcast completion bash', () => {
  let file: string;
  beforeAll(async () => {
    file = await script('bash');
  });

  /** COMPREPLY for a command line whose last word is being completed. */
  const complete = (line: string[]): string[] => {
    const words = line.map((w) => `'${w}'`).join(' ');
    // stdin not a socket, and --norc: bash reads ~/.bashrc even for `bash -c` when its stdin is a socket (it takes that
    // for sshd), and Node's 'pipe' is a socket pair, so each case ran the user's .bashrc (5 s for a pyenv init here).
    const out = execFileSync('bash', ['--norc', '-c', `source "$0"; COMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _dingcast; printf '%s\\n' "\${COMPREPLY[@]}"`, file], { cwd: repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.split('\n').filter(Boolean).sort();
  };

  it.each([
    [['dingcast', 'val'], ['validate']],
    [['dingcast', 'sta'], ['state', 'status-bar']],
    [['dingcast', 'state', 'st'], ['status']],
    [['dingcast', 'send', '--dr'], ['--dry-run']],
    [['dingcast', 'validate', '--format', ''], ['json', 'text']],
    [['dingcast', 'render', '--format', ''], ['html', 'json', 'text']],
    [['dingcast', 'send', 'rel'], ['release-api']], // a notification id of the repository's project
    [['dingcast', '-p', 'test/fixtures/cron-six-fields', 'send', ''], ['daily']], // ids of the project named by -p
    [['dingcast', 'send', '-p', 'test/fixtures/cron-six-fields', 'd'], ['daily']],
    [['dingcast', 'send', '--project', 'test/fix'], ['test/fixtures']],
    [['dingcast', 'state', 'status', '--s'], ['--sandbox']],
  ])('%j → %j', (line, expected) => {
    expect(complete(line)).toEqual(expected);
  });

  it('offers every command the help lists', async () => {
    const help = (await runCli(['--help'])).stdout;
    const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
    const listed = [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    expect(listed.length).toBeGreaterThan(10);
    expect(complete(['dingcast', ''])).toEqual([...listed].sort());
  });
});

describe.skipIf(!has('fish'))('dingcast completion fish', () => {
  let file: string;
  beforeAll(async () => {
    file = await script('fish');
  });
  const complete = (line: string): string[] =>
    execFileSync('fish', ['--no-config', '-c', `source $argv[1]; complete -C ${JSON.stringify(line)}`, file], { cwd: repoRoot, env, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0] ?? '')
      .sort();

  it.each([
    ['dingcast val', ['validate']],
    ['dingcast state st', ['status']],
    ['dingcast send --dr', ['--dry-run']],
    ['dingcast render --format ', ['html', 'json', 'text']],
    ['dingcast send rel', ['release-api']],
    ['dingcast directory ', ['find', 'pull']],
  ])('%s → %j', (line, expected) => {
    expect(complete(line)).toEqual(expected);
  });

  it('shows each command with its description', () => {
    const out = execFileSync('fish', ['--no-config', '-c', `source $argv[1]; complete -C 'dingcast valid'`, file], { cwd: repoRoot, env, encoding: 'utf8' });
    expect(out).toMatch(/^validate\tcheck every template/m);
  });
});

describe.skipIf(!has('zsh') || !hasTmux)('dingcast completion zsh (interactive, in tmux)', () => {
  let term: Terminal;
  beforeAll(async () => {
    const file = await script('zsh');
    term = openTerminal('zsh -f', { columns: 120, rows: 30, env, cwd: repoRoot });
    term.type(`PS1='> '; autoload -U compinit && compinit -u && source ${file} && echo completion-loaded`);
    await term.waitFor(/^completion-loaded$/m);
  });
  afterAll(() => term.close());

  it.each([
    ['dingcast val', /^> dingcast validate *$/m],
    ['dingcast state st', /^> dingcast state status *$/m],
    ['dingcast send rel', /^> dingcast send release-api *$/m],
    ['dingcast send --dry', /^> dingcast send --dry-run *$/m],
    ['dingcast render --format h', /^> dingcast render --format html *$/m],
  ])('%s + Tab', async (line, expected) => {
    term.press('C-u');
    term.keys(line);
    term.press('Tab');
    await term.waitFor(expected);
  });
});
