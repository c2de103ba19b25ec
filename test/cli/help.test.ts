import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { runCli } from '../helpers/cli.js';

/** The command names a help text lists under "Commands:" (commander's own `help` aside). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1] ?? '').filter((name) => name !== 'help');
}

/** `dingcast ARGS --help` in this process: what it wrote to stdout and the exit code main returned. */
async function helpOf(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'dingcast', ...args, '--help'], { NO_COLOR: '1' });
    return { code, stdout };
  } finally {
    write.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('--help', () => {
  it('the built CLI prints the top-level help with examples and exits 0', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Examples:\n {2}dingcast /m);
    expect(top.stdout).toContain('.env');
    // In-process help (below) is the same text the CLI prints.
    expect((await helpOf([])).stdout).toBe(top.stdout);
  });

  it('shows examples on every command the top level leads to', async () => {
    const leaves: string[][] = [];
    for (const name of commandsIn((await helpOf([])).stdout)) {
      const help = (await helpOf([name])).stdout;
      const subcommands = commandsIn(help);
      if (subcommands.length === 0) leaves.push([name]);
      else leaves.push(...subcommands.map((sub) => [name, sub]));
    }
    expect(leaves.map((l) => l.join(' '))).toEqual(expect.arrayContaining(['validate', 'send', 'sandbox', 'directory pull', 'state status']));
    const missing: string[] = [];
    for (const path of leaves) {
      const r = await helpOf(path);
      expect(r.code, path.join(' ')).toBe(0);
      if (!/^Examples:\n {2}.*\bdingcast /m.test(r.stdout)) missing.push(path.join(' '));
    }
    expect(missing).toEqual([]);
  });
});
