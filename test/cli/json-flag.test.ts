import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** `--json` is the one habit for machine-readable output on every command; on validate and render it is --format json. */
describe('--json on the commands that also have --format', () => {
  it.each([
    ['validate', ['validate', '-p', 'test/fixtures/cron-six-fields']],
    ['render', ['render', '--dry-run', '--at', '2026-03-02T09:00:00+08:00', 'release-api']],
  ])('%s --json prints exactly what --format json prints, with the same exit code', async (_name, args) => {
    const json = await runCli([...args, '--json']);
    const format = await runCli([...args, '--format', 'json']);
    expect(json.code).toBe(format.code);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(format.stdout));
    expect((JSON.parse(json.stdout) as { format: string }).format).toMatch(/^dingcast\.(validate|render)\/v1$/);
  });

  it('--json with another --format is a clear usage error (exit 2)', async () => {
    const r = await runCli(['validate', '--json', '--format', 'text']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--json and --format text ask for different outputs/);
    expect(r.stdout).toBe('');
  });

  it('--json --format json is allowed', async () => {
    const r = await runCli(['validate', '--json', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ format: 'dingcast.validate/v1', valid: true });
  });
});
