import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/cli/output.js';
import { validateFolder } from '../../src/cli/validateFolder.js';
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
const expectationOf = (name: string) => JSON.parse(readFileSync(join(fixturesDir, name, 'expect.json'), 'utf8')) as Expectation;

/** The exit code and text `dingcast validate` prints, computed in this process by the code the CLI runs. */
async function validateInProcess(dir: string): Promise<{ code: number; output: string }> {
  const { result } = await validateFolder(dir, new Date());
  const all = [...result.errors, ...result.warnings];
  return { code: result.errors.length > 0 ? 1 : 0, output: stripVTControlCharacters(formatDiagnostics(all)) };
}

function expectDiagnostic(want: Expectation, output: string): void {
  if (want.file && want.line !== undefined) {
    const where = `${want.file}:${want.line}:${want.column}`;
    const line = output.split('\n').find((l) => l.includes(where) && (want.code === undefined || l.includes(want.code)));
    expect(line, `expected a diagnostic at ${where} ${want.code ?? ''}\n${output}`).toBeDefined();
  } else if (want.file) {
    expect(output).toContain(want.file);
    if (want.code) expect(output).toContain(want.code);
  }
  if (want.hint) expect(output).toContain(`\`${want.hint}\``);
}

// The positions and hints are the pure core's work: checked in-process (a second for the corpus, where 59 spawned
// CLIs took over a minute). A few spawned runs below prove the CLI prints the same and exits with the same codes.
describe('validate on the corpus of broken projects', () => {
  it('has at least 40 broken projects', () => {
    expect(fixtures.filter((f) => !f.startsWith('ok-')).length).toBeGreaterThanOrEqual(40);
  });

  it.each(fixtures)('%s', async (name) => {
    const want = expectationOf(name);
    const r = await validateInProcess(join(fixturesDir, name));
    expect(r.code, r.output).toBe(want.exit);
    expectDiagnostic(want, r.output);
  });
});

describe('the built CLI on a few of them', () => {
  it.each(['ok-hostile-values', 'worst-case-warning', 'link-snake-case-url', 'yaml-unclosed-quote'])('%s', async (name) => {
    const want = expectationOf(name);
    const r = await runCli(['validate', '--project', join(fixturesDir, name)]);
    const output = r.stdout + r.stderr;
    expect(output, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    expect(output).not.toContain('internal error');
    expect(r.code, output).toBe(want.exit);
    expectDiagnostic(want, output);
    if (want.exit === 0) expect(output).toMatch(/✔ valid/);
    else expect(output).toMatch(/✖ \d+ errors?/);
  });
});
