import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** Run the built CLI as a child process with a minimal environment (no colour, no credentials unless given). */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).done;
}

/** Like runCli, but hands back the child so a test can kill it mid-run. */
export function startCli(args: string[], opts: CliOptions = {}): { child: ReturnType<typeof spawn>; done: Promise<CliResult> } {
  let child!: ReturnType<typeof spawn>;
  const done = new Promise<CliResult>((resolve, reject) => {
    child = spawn(process.execPath, [cliPath, ...args], {
      cwd: opts.cwd ?? repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    // Only against a hung child: under load a healthy run that waits on other CLIs can take tens of seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 100_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
  return { child, done };
}

/** Every ledger of a project (one per target: DingTalk, the in-process sandbox, other base URLs), concatenated. */
export function allLedgersText(projectDir: string): string {
  const dir = `${projectDir}/.dingcast`;
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((f) => /^ledger.*\.jsonl$/.test(f))
    .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
    .join('');
}
