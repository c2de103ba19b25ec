import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** The command names a help text lists under "Commands:" (commander's own `help` aside). */
function commandsIn(help: string): string[] {
  const section = help.split(/^Commands:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1] ?? '').filter((name) => name !== 'help');
}

describe('--help', () => {
  it('shows examples on the top level and on every command it leads to', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^Examples:\n {2}dingcast /m);
    expect(top.stdout).toContain('.env');
    const leaves: string[][] = [];
    for (const name of commandsIn(top.stdout)) {
      const help = (await runCli([name, '--help'])).stdout;
      const subcommands = commandsIn(help);
      if (subcommands.length === 0) leaves.push([name]);
      else leaves.push(...subcommands.map((sub) => [name, sub]));
    }
    expect(leaves.map((l) => l.join(' '))).toEqual(expect.arrayContaining(['validate', 'send', 'sandbox', 'directory pull']));
    const missing: string[] = [];
    for (const path of leaves) {
      const r = await runCli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      if (!/^Examples:\n {2}.*\bdingcast /m.test(r.stdout)) missing.push(path.join(' '));
    }
    expect(missing).toEqual([]);
  });
});
