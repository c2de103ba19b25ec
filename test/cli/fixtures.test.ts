import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../helpers/cli.js';

interface Expectation {
  exit: number;
  code?: string;
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

const fixturesDir = join(repoRoot, 'test/fixtures');
const fixtures = readdirSync(fixturesDir).filter((n) => statSync(join(fixturesDir, n)).isDirectory());

describe('validate on the corpus of broken projects', () => {
  it('has at least 40 broken projects', () => {
    expect(fixtures.filter((f) => !f.startsWith('ok-')).length).toBeGreaterThanOrEqual(40);
  });

  it.each(fixtures)('%s', async (name) => {
    const want = JSON.parse(readFileSync(join(fixturesDir, name, 'expect.json'), 'utf8')) as Expectation;
    const r = await runCli(['validate', '--project', join(fixturesDir, name)]);
    const output = r.stdout + r.stderr;
    expect(output, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(output).not.toContain('internal error');
    expect(r.code, output).toBe(want.exit);
    if (want.file && want.line !== undefined) {
      const where = `${want.file}:${want.line}:${want.column}`;
      const line = output.split('\n').find((l) => l.includes(where) && (want.code === undefined || l.includes(want.code)));
      expect(line, `expected a diagnostic at ${where} ${want.code ?? ''}\n${output}`).toBeDefined();
    } else if (want.file) {
      expect(output).toContain(want.file);
      if (want.code) expect(output).toContain(want.code);
    }
    if (want.hint) expect(output).toContain(`\`${want.hint}\``);
    if (want.exit === 0) expect(output).toMatch(/✔ valid/);
  });
});
