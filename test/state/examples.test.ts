import { execFile } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { allLedgersText, cliPath, repoRoot } from '../helpers/cli.js';
import { freshDatabase, pgUrl, query } from '../helpers/postgres.js';
import { startSandboxProcess, type SandboxProcess } from '../helpers/sandboxProcess.js';
import { scheduledProject, write } from '../schedule/_project.js';

let sandbox: SandboxProcess | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

interface Container {
  command: string[];
  workingDir: string;
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  volumeMounts?: unknown[];
}

const file = join(repoRoot, 'examples/kubernetes/cronjob-postgres.yaml');
const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as { kind: string; spec: { jobTemplate: { spec: { template: { spec: { containers: Container[]; volumes?: unknown[] } } } } } });

describe('examples/kubernetes/cronjob-postgres.yaml', () => {
  it('is one CronJob with no volume, DINGCAST_STATE from a Secret', () => {
    expect(docs.map((d) => d.kind)).toEqual(['CronJob']);
    const pod = docs[0]!.spec.jobTemplate.spec.template.spec;
    expect(pod.volumes).toBeUndefined();
    expect(pod.containers[0]?.volumeMounts).toBeUndefined();
    expect(pod.containers[0]?.env?.find((e) => e.name === 'DINGCAST_STATE')?.valueFrom?.secretKeyRef?.key).toBe('DINGCAST_STATE');
  });

  it.skipIf(!pgUrl)('its command, run as two pods with no shared disk: the first sends the due slot, the second nothing', async () => {
    const url = await freshDatabase();
    const container = docs[0]!.spec.jobTemplate.spec.template.spec.containers[0]!;
    // A schedule that fired two minutes ago (UTC), inside the default window; each pod is its own copy of the image.
    const fired = new Date(Date.now() - 2 * 60_000);
    const pods = [0, 1].map(() => scheduledProject([['standup', `${fired.getUTCMinutes()} ${fired.getUTCHours()} * * *`, 'timezone: UTC', 'zhangsan']]));
    for (const dir of pods) {
      const yaml = readFileSync(join(dir, 'notifications.yaml'), 'utf8').replace('timezone: Asia/Shanghai\n', 'timezone: Asia/Shanghai\nstate: { backend: postgres }\n');
      write(dir, 'notifications.yaml', yaml);
      write(dir, 'node_modules/.bin/dingcast', `#!/bin/sh\nexec "${process.execPath}" "${cliPath}" "$@"\n`);
      chmodSync(join(dir, 'node_modules/.bin/dingcast'), 0o755);
    }
    sandbox = await startSandboxProcess({ projectDir: pods[0] });
    const [cmd, ...args] = container.command;
    const run = (dir: string) => promisify(execFile)(cmd!, args, { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, NO_COLOR: '1', ...sandbox!.env, DINGCAST_STATE: url } });
    const first = await run(pods[0]!);
    expect(first.stderr).toMatch(/due: standup for slot/);
    expect((JSON.parse(first.stdout) as { totals: { recipients: number } }).totals.recipients).toBe(1);
    const second = await run(pods[1]!);
    expect(second.stderr).toMatch(/nothing due/);
    // `dingcast schedule` reads the same scope: the slot the first pod fired.
    const schedule = await promisify(execFile)(process.execPath, [cliPath, 'schedule', '--json'], { cwd: pods[1]!, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...sandbox.env, DINGCAST_STATE: url } });
    expect((JSON.parse(schedule.stdout) as { notifications: { last_fired: string | null }[] }).notifications[0]?.last_fired).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+00:00$/);
    // A pod whose Secret is missing (or empty): `state: { backend: postgres }` makes it stop before anything.
    for (const missing of [undefined, '']) {
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: pods[1]!, NO_COLOR: '1', ...sandbox.env, ...(missing === undefined ? {} : { DINGCAST_STATE: missing }) };
      const failed = await promisify(execFile)(cmd!, args, { cwd: pods[1]!, env }).then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(failed?.code).toBe(2);
      expect(failed?.stderr).toMatch(/`state: \{ backend: postgres \}` but DINGCAST_STATE is not set; nothing was sent/);
      expect(allLedgersText(pods[1]!)).toBe('');
    }
    expect((await sandbox.admin.calls()).calls.asyncsend_v2).toBe(1);
    for (const dir of pods) expect(allLedgersText(dir)).toBe('');
    expect(await query(url, `SELECT count(*)::int AS n FROM dingcast_ledger WHERE type = 'slot'`)).toEqual([{ n: 1 }]);
  });
});
