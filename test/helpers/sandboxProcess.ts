// `dingcast sandbox` as its own process on an ephemeral loopback port, as DingTalk is to a real run:
// nothing of it keeps the CLI under test alive. Tests drive it through its /__admin JSON API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { stringify } from 'yaml';
import type { FaultSpec, InboxItem, LatchStatus as LatchStatusView, TaskView, UserView } from '../../src/sandbox/index.js';
import { cliPath, repoRoot } from './cli.js';

export type { FaultSpec, InboxItem, TaskView, UserView };

/** The HTTP timeout (seconds) the CLI under test gets: longer than any hold a test keeps. */
export const HELD_CALL_TIMEOUT_S = '300';

export interface SandboxProcessOptions {
  /** `--project` (the sandbox's organisation does not depend on it). */
  projectDir?: string;
  /** `--directory FILE`: the organisation (default: the sample company). A `config` with users wins over it. */
  directory?: string;
  /**
   * A sandbox config (`dingcast sandbox --config`): YAML text, or an object written as YAML. Keys as in the
   * file: `users`, `departments`, `apps`, `faults`, tunables in snake_case (`userids_per_call: 100`…).
   */
  config?: string | Record<string, unknown>;
  /** Faults set through the admin API once the sandbox listens. */
  faults?: FaultSpec[];
  /** How long to wait for the URL line. Default 15 s. */
  startTimeoutMs?: number;
}

export interface SandboxProcess {
  url: string;
  pid: number;
  /** DINGTALK_* variables that point `dingcast send` at this sandbox with its default app. */
  env: Record<string, string>;
  /** The same for the sandbox's default ISV app (get_corp_token): DINGTALK_SUITE_KEY/SECRET/TICKET, DINGTALK_CORP_ID. */
  isvEnv: Record<string, string>;
  admin: SandboxProcessAdmin;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and removes its temporary files. */
  close(): Promise<void>;
  /** What the sandbox printed on stderr so far (its banner, or a crash). */
  stderr(): string;
}

export interface SandboxProcessAdmin {
  addFaults(...faults: FaultSpec[]): Promise<void>;
  clearFaults(): Promise<void>;
  faults(): Promise<(FaultSpec & { remaining: number | null })[]>;
  /** Tunables by their config-file names (`userids_per_call`, `qps_per_api`, `daily_cap_isv`…) or camelCase. */
  setTunables(tunables: Record<string, unknown>): Promise<Record<string, unknown>>;
  config(): Promise<{ apps: Record<string, unknown>[]; tunables: Record<string, unknown>; departments: unknown[] }>;
  /** Forgets tokens, tasks, inboxes and counters. */
  reset(): Promise<void>;
  /** Sets (ISO string or ms), advances (ms) or freezes the sandbox clock. */
  clock(change: { set?: string | number; advance?: number; freeze?: boolean }): Promise<{ now: string; mode: string }>;
  markRead(userid: string, taskId?: number): Promise<number>;
  /** Resolves once `count` calls are held under the `hold` fault `name`; rejects after `timeoutMs`. */
  waitHeld(name: string, count?: number, timeoutMs?: number): Promise<LatchStatusView>;
  /** Lets the oldest `count` held calls go (all when absent); returns how many went. */
  release(name: string, count?: number): Promise<number>;
  holds(): Promise<LatchStatusView[]>;
  /** userid → messages delivered so far, for every user who has any. */
  inboxCounts(): Promise<Record<string, number>>;
  inbox(userid: string): Promise<InboxItem[]>;
  tasks(): Promise<TaskView[]>;
  users(): Promise<UserView[]>;
  /** Calls per endpoint, and the log of each call's endpoint, time and errcode. */
  calls(): Promise<{ calls: Record<string, number>; log: { endpoint: string; at: number; errcode: number | null }[] }>;
}

/** Starts `node dist/cli/bin.js sandbox --port 0` (run `npm run build` first; vitest's globalSetup does). */
export async function startSandboxProcess(opts: SandboxProcessOptions = {}): Promise<SandboxProcess> {
  const tmp = mkdtempSync(join(tmpdir(), 'dingcast-sandbox-'));
  const args = [cliPath, '--project', opts.projectDir ?? tmp, 'sandbox', '--port', '0'];
  if (opts.directory !== undefined) args.push('--directory', opts.directory);
  if (opts.config !== undefined) {
    const file = join(tmp, 'sandbox.yaml');
    writeFileSync(file, typeof opts.config === 'string' ? opts.config : stringify(opts.config));
    args.push('--config', file);
  }
  // 'ipc': the sandbox stops by itself when this process goes away, even if close() never runs.
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const cleanup = (): void => rmSync(tmp, { recursive: true, force: true });
  let url: string;
  try {
    url = await readUrl(child, opts.startTimeoutMs ?? 15_000, () => stderr);
  } catch (err) {
    child.kill('SIGKILL');
    cleanup();
    throw err;
  }
  const admin = createAdmin(url);
  const sandbox: SandboxProcess = {
    url,
    pid: child.pid!,
    env: {
      DINGTALK_BASE_URL: url,
      DINGTALK_APP_KEY: 'sandbox-app-key',
      DINGTALK_APP_SECRET: 'sandbox-app-secret',
      DINGTALK_AGENT_ID: '100000001',
      // A call the test holds must stay held however busy the machine: with the default 10 s a slow second CLI
      // start turned a held call into a "lost answer" that the client retried, and the first run finished early.
      DINGCAST_HTTP_TIMEOUT: HELD_CALL_TIMEOUT_S,
    },
    isvEnv: {
      DINGCAST_HTTP_TIMEOUT: HELD_CALL_TIMEOUT_S,
      DINGTALK_BASE_URL: url,
      DINGTALK_SUITE_KEY: 'sandbox-suite-key',
      DINGTALK_SUITE_SECRET: 'sandbox-suite-secret',
      DINGTALK_SUITE_TICKET: 'sandbox-suite-ticket',
      DINGTALK_CORP_ID: 'dingsandboxcorp',
      DINGTALK_AGENT_ID: '100000002',
    },
    admin,
    stderr: () => stderr,
    close: () => stop(child).finally(cleanup),
  };
  if (opts.faults && opts.faults.length > 0) await admin.addFaults(...opts.faults);
  return sandbox;
}

/**
 * One `dingcast sandbox` process for a test file: started before its tests, stopped after them, and reset (tokens,
 * tasks, inboxes, counters) before each test, then `eachTest` (tunables, faults). Call it at the top of the file; the
 * object it returns reads the running sandbox, so use it inside tests and hooks.
 */
export function useSandboxProcess(opts: SandboxProcessOptions = {}, eachTest?: (sandbox: SandboxProcess) => Promise<unknown>): SandboxProcess {
  let started: SandboxProcess | undefined;
  const current = (): SandboxProcess => {
    if (!started) throw new Error('the sandbox process is started in beforeAll: use it inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startSandboxProcess(opts);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    await current().admin.reset();
    await eachTest?.(current());
  });
  return {
    get url() {
      return current().url;
    },
    get pid() {
      return current().pid;
    },
    get env() {
      return current().env;
    },
    get isvEnv() {
      return current().isvEnv;
    },
    get admin() {
      return current().admin;
    },
    close: () => current().close(),
    stderr: () => current().stderr(),
  };
}

/** The first stdout line is the bound URL (src/cli/sandbox.ts). */
function readUrl(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(`no URL within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`dingcast sandbox did not start: ${why}\n${stderr()}`));
    };
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n')[0]!;
      if (stdout.includes('\n')) {
        clearTimeout(timer);
        if (/^http:\/\/[^\s]+$/.test(line.trim())) resolve(line.trim());
        else fail(`unexpected first line ${JSON.stringify(line)}`);
      }
    });
    child.once('exit', (code, signal) => fail(`exited with ${code ?? signal}`));
    child.once('error', (err) => fail(err.message));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function createAdmin(url: string): SandboxProcessAdmin {
  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, okStatuses = [200]): Promise<T> => {
    const res = await fetch(`${url}/__admin/${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!okStatuses.includes(res.status)) throw new Error(`sandbox admin ${method} ${path}: HTTP ${res.status} ${json.error ?? JSON.stringify(json)}`);
    return json;
  };
  return {
    async addFaults(...faults) {
      await call('POST', 'faults', { faults });
    },
    async clearFaults() {
      await call('DELETE', 'faults');
    },
    faults: async () => (await call<{ faults: (FaultSpec & { remaining: number | null })[] }>('GET', 'faults')).faults,
    setTunables: async (tunables) => (await call<{ tunables: Record<string, unknown> }>('POST', 'config', { tunables })).tunables,
    config: () => call('GET', 'config'),
    async reset() {
      await call('POST', 'reset', {});
    },
    clock: (change) => call('POST', 'clock', change),
    markRead: async (userid, taskId) => (await call<{ marked: number }>('POST', 'read', { userid, ...(taskId === undefined ? {} : { task_id: taskId }) })).marked,
    async waitHeld(name, count = 1, timeoutMs = 20_000) {
      const status = await call<LatchStatusView & { ok: boolean }>('POST', 'holds/wait', { name, count, timeout_ms: timeoutMs }, [200, 408]);
      if (!status.ok) throw new Error(`sandbox: ${count} call(s) not held under "${name}" within ${timeoutMs} ms (held ${status.held}, ever ${status.total})`);
      return status;
    },
    release: async (name, count) => (await call<{ released: number }>('POST', 'release', { name, ...(count === undefined ? {} : { count }) })).released,
    holds: async () => (await call<{ holds: LatchStatusView[] }>('GET', 'holds')).holds,
    inboxCounts: async () => (await call<{ counts: Record<string, number> }>('GET', 'inboxes')).counts,
    inbox: async (userid) => (await call<{ inbox: InboxItem[] }>('GET', `inbox/${encodeURIComponent(userid)}`)).inbox,
    tasks: async () => (await call<{ tasks: TaskView[] }>('GET', 'tasks')).tasks,
    users: async () => (await call<{ users: UserView[] }>('GET', 'users')).users,
    calls: () => call('GET', 'calls'),
  };
}
