import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

// The packed tarball, installed into an empty folder from npm's cache (filled by `npm ci`), run as users run it.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false', ...env }, timeout: 170_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let packDir = '';
let tarball = '';
let files: string[] = [];
let consumer = '';

beforeAll(() => {
  packDir = mkdtempSync(join(tmpdir(), 'dingcast-pack-'));
  // --ignore-scripts: `prepack` deletes dist/ and rebuilds it, which breaks every CLI test running beside this file
  // (vitest runs files in parallel). The global setup has just built dist/ from this src/.
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', packDir, '--json'], repoRoot);
  expect(pack.code, pack.stderr).toBe(0);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(packDir, info!.filename);
  files = info!.files.map((f) => f.path).sort();

  consumer = join(packDir, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], consumer);
  if (install.code !== 0) {
    throw new Error(`npm install of the tarball failed (a dependency missing from npm's cache needs the network):\n${install.stderr}`);
  }
}, 180_000);

describe('the npm package', () => {
  it('holds dist/, schema/, the shipped calendars, the examples and what the READMEs show, and nothing else (package.json and the READMEs, English and Chinese, are always packed)', () => {
    const stray = files.filter((f) => !/^(package\.json|README(\.zh-CN)?\.md|LICENSE(\.\w+)?|schema\/[\w-]+\.schema\.json|calendars\/[\w-]+\.json|dist\/.+\.(js|d\.ts)|examples\/.+|docs\/[\w-]+\.png|src\/sandbox\/README\.md)$/.test(f));
    expect(stray).toEqual([]);
    for (const needed of ['dist/cli/bin.js', 'dist/index.js', 'dist/index.d.ts', 'schema/notifications.schema.json', 'schema/template.schema.json', 'dist/review/init.js', 'calendars/cn-workdays.json']) {
      expect(files).toContain(needed);
    }
  });

  it('ships every file its READMEs link to (README.md, README.zh-CN.md and the shipped examples\' READMEs)', () => {
    const readmes = files.filter((f) => /(^|\/)README(\.zh-CN)?\.md$/.test(f));
    expect(readmes).toEqual(expect.arrayContaining(['README.md', 'README.zh-CN.md', 'examples/README.md']));
    const missing: string[] = [];
    for (const readme of readmes) {
      const text = readFileSync(join(repoRoot, readme), 'utf8');
      // Relative targets of [text](target) and ![alt](target); web links and in-page anchors are not files.
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target!) || target!.startsWith('#')) continue;
        const file = posix.normalize(posix.join(posix.dirname(readme), target!.split('#')[0]!));
        // A link to a folder (`examples/payslips/`) needs the folder to hold packed files.
        const shipped = file.endsWith('/') ? files.some((f) => f.startsWith(file)) : files.includes(file);
        if (!shipped) missing.push(`${readme} → ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('installs into an empty folder, where `npx dingcast init && npx dingcast validate` succeeds and sends to the sandbox', () => {
    const init = run('npx', ['--no', 'dingcast', 'init'], consumer);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('editor schemas: node_modules/dingcast/schema (the installed dingcast package)');
    expect(readFileSync(join(consumer, 'notifications.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\/node_modules\/dingcast\/schema\/notifications\.schema\.json\n/);

    const validate = run('npx', ['--no', 'dingcast', 'validate'], consumer);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toContain('✔ valid: 1 template, 1 notification');

    // The shipped calendars come with the package: a schedule on cn-workdays validates and lists its next slots.
    const yaml = join(consumer, 'notifications.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/ {4}# schedule: .*\n/, '    schedule: "0 9 * * 1-5"\n    calendar: cn-workdays\n'));
    expect(run('npx', ['--no', 'dingcast', 'validate'], consumer).code).toBe(0);
    const schedule = run('npx', ['--no', 'dingcast', 'schedule'], consumer);
    expect(schedule.code, schedule.stderr).toBe(0);
    expect(schedule.stdout).toContain('(Asia/Shanghai, cn-workdays)');

    const send = run('npx', ['--no', 'dingcast', 'send', '--all', '--sandbox'], consumer);
    expect(send.code, send.stdout + send.stderr).toBe(0);
    expect(existsSync(join(consumer, 'reports'))).toBe(true);

    const version = run('npx', ['--no', '--', 'dingcast', '--version'], consumer);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
  }, 180_000); // seven npx runs: about a minute on a busy machine

  it('exposes the programmatic API: load, validate, render, plan, apply against startSandbox', () => {
    const dir = join(packDir, 'api');
    mkdirSync(dir);
    expect(run('npx', ['--no', 'dingcast', 'init', dir], consumer).code).toBe(0);
    writeFileSync(
      join(consumer, 'api.mjs'),
      `import * as dc from 'dingcast';
const dir = ${JSON.stringify(dir)};
const project = dc.loadProject(await dc.readProjectFiles(dir));
const now = new Date('2026-03-02T01:00:00Z');
const validation = dc.validateProject(project, { now });
const n = project.notifications[0];
const rendered = dc.renderNotification(project, n, { now });
const plan = dc.planSend({ project, ids: [n.id], now, runId: dc.newRunId(now), ledger: dc.ledgerView([]), force: false, fingerprint: 'api' });
const sandbox = await dc.startSandbox({});
const ledger = await dc.openLedger(dir);
try {
  const client = dc.createDingTalkClient({ baseUrl: sandbox.url, appKey: 'sandbox-app-key', appSecret: 'sandbox-app-secret', agentId: 100000001 });
  const report = await dc.applyPlan(plan, { client, ledger, wait: true, waitTimeoutMs: 20000 });
  console.log(JSON.stringify({
    errors: validation.errors.length,
    msgtype: rendered.ok ? rendered.msg.msgtype : rendered.errors,
    calls: plan.api_calls.send,
    states: report.notifications.flatMap((r) => r.calls.map((c) => c.state)),
    inbox: sandbox.state.inbox('zhangsan').length,
    page: dc.buildPreviewPage([]).startsWith('<!doctype html>'),
    exports: ['loadProject', 'validateProject', 'renderNotification', 'planSend', 'applyPlan', 'startSandbox'].filter((k) => typeof dc[k] !== 'function'),
  }));
} finally {
  await ledger.close();
  await sandbox.close();
}
`,
    );
    const r = run(process.execPath, ['api.mjs'], consumer);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ errors: 0, msgtype: 'markdown', calls: 1, states: ['sent'], inbox: 1, page: true, exports: [] });
  });

  it('ships types: a strict TypeScript consumer of the API compiles', () => {
    writeFileSync(
      join(consumer, 'typed.ts'),
      `import { loadProject, readProjectFiles, validateProject, renderNotification, planSend, applyPlan, startSandbox, UserError } from 'dingcast';
import type { Project, Diagnostic, Plan, NotificationReport, Sandbox, ValidationResult, RenderedItem, ProjectDiff } from 'dingcast';
export async function check(dir: string): Promise<number> {
  const project: Project = loadProject(await readProjectFiles(dir));
  const result: ValidationResult = validateProject(project, { now: new Date() });
  const first: Diagnostic | undefined = result.errors[0];
  const r = renderNotification(project, project.notifications[0]!, { now: new Date() });
  const bytes: number = r.ok ? JSON.stringify(r.msg).length : 0;
  const s: Sandbox = await startSandbox({});
  await s.close();
  type Unused = [Plan, NotificationReport, RenderedItem, ProjectDiff, typeof planSend, typeof applyPlan];
  const u: Unused | undefined = undefined;
  if (first && u === undefined) throw new UserError(first.message);
  return bytes;
}
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: ['node'], typeRoots: [join(repoRoot, 'node_modules/@types')] },
        files: ['typed.ts'],
      }),
    );
    const tsc = run(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });
});
