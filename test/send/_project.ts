import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { defaultDirectoryFor, startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { repoRoot } from '../helpers/cli.js';
import { HELD_CALL_TIMEOUT_S } from '../helpers/sandboxProcess.js';

/** A real project folder in a temp dir: the repository's examples, or the given files. */
export function makeProject(files?: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-send-'));
  if (!files) {
    cpSync(join(repoRoot, 'templates'), join(dir, 'templates'), { recursive: true });
    cpSync(join(repoRoot, 'notifications.yaml'), join(dir, 'notifications.yaml'));
    cpSync(join(repoRoot, 'assets'), join(dir, 'assets'), { recursive: true });
    return dir;
  }
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

/** 10:00 in Shanghai on a fixed day; the sandbox clock runs from there so tasks still progress. */
export const BASE_TIME = Date.parse('2026-11-26T02:00:00Z');

/** A sandbox whose organisation holds exactly the users and departments the project's notifications.yaml names. */
export async function sandboxFor(projectDir: string, opts: SandboxOptions = {}): Promise<Sandbox> {
  const started = Date.now();
  const directory = defaultDirectoryFor(parse(readFileSync(join(projectDir, 'notifications.yaml'), 'utf8')));
  return startSandbox({ config: { directory }, now: () => BASE_TIME + (Date.now() - started), ...opts });
}

export function envFor(sandbox: Sandbox): Record<string, string> {
  // As for a sandbox process: a held call must not time out into a lost answer on a busy machine.
  return { DINGTALK_BASE_URL: sandbox.url, DINGTALK_APP_KEY: 'sandbox-app-key', DINGTALK_APP_SECRET: 'sandbox-app-secret', DINGCAST_HTTP_TIMEOUT: HELD_CALL_TIMEOUT_S };
}

export const AT = new Date(BASE_TIME).toISOString();

export function readReports(projectDir: string): string[] {
  const dir = join(projectDir, 'reports');
  return readdirSync(dir)
    .filter((n) => n !== 'latest')
    .flatMap((run) => readdirSync(join(dir, run)).map((f) => readFileSync(join(dir, run, f), 'utf8')));
}

export function latestReport(projectDir: string): import('../../src/core/send/types.js').Report {
  const id = readFileSync(join(projectDir, 'reports', 'latest'), 'utf8').trim();
  return JSON.parse(readFileSync(join(projectDir, 'reports', id, 'report.json'), 'utf8')) as import('../../src/core/send/types.js').Report;
}

/** A one-template project: a text message to the given users and departments. */
export function textProject(users: string[], departments: number[] = [], content = 'hello {{name}}'): string {
  const to = [users.length > 0 ? `      users: [${users.join(', ')}]` : '', departments.length > 0 ? `      departments: [${departments.join(', ')}]` : ''].filter(Boolean).join('\n');
  return makeProject({
    'templates/note.yaml': `version: 1\ndescription: a note\nvariables:\n  type: object\n  required: [name]\n  properties:\n    name: { type: string, maxLength: 20 }\nexamples:\n  typical: { name: team }\nmsg:\n  msgtype: text\n  text:\n    content: "${content}"\n`,
    'notifications.yaml': `version: 1\napp:\n  agent_id: 100000001\n  kind: internal\ntimezone: Asia/Shanghai\nnotifications:\n  note:\n    template: note@1\n    to:\n${to}\n    vars: { name: team }\n`,
  });
}
