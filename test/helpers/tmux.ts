// A real terminal for tests: a tmux pane on a private server socket, its bytes recorded with pipe-pane.
// The command waits for one Enter (a latch) so the recording is in place before it prints anything.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasTmux: boolean = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export interface Terminal {
  /** Bytes the pane received, escape codes included. */
  raw(): string;
  /** What the screen shows (capture-pane, with scrollback). */
  screen(): string;
  /** Types a line into the pane (e.g. an answer to a prompt). */
  type(text: string): void;
  /** Types text without Enter (e.g. a command line to complete). */
  keys(text: string): void;
  /** Presses keys by tmux name: 'Tab', 'C-u', 'Enter'. */
  press(...keys: string[]): void;
  /** Resolves with the screen once it matches `pattern`; rejects after `timeoutMs` with what it showed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the command's exit code once it ended; rejects after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number>;
  close(): void;
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `command` (a shell line) in a fresh `columns`×`rows` pane. `setup` runs first in the pane's shell
 * (e.g. `stty cols 0`). The environment is minimal, like test/helpers/cli.ts.
 */
export function openTerminal(command: string, opts: { columns?: number; rows?: number; setup?: string; env?: Record<string, string>; cwd?: string } = {}): Terminal {
  const dir = mkdtempSync(join(tmpdir(), 'dingcast-tty-'));
  const socket = `dingcast-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  const rcFile = join(dir, 'rc');
  const rawFile = join(dir, 'raw');
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm-256color', ...opts.env };
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}=${shellQuote(v)};`)
    .join(' ');
  const script = `${exports} read latch; ${opts.setup ? `${opts.setup}; ` : ''}${command}; echo $? > ${shellQuote(rcFile)}`;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-x', String(opts.columns ?? 80), '-y', String(opts.rows ?? 24), '-c', opts.cwd ?? process.cwd(), '-s', 't', `sh -c ${shellQuote(script)}`);
  tmux('set-option', '-t', 't', 'remain-on-exit', 'on');
  tmux('set-option', '-t', 't', 'history-limit', '5000');
  tmux('pipe-pane', '-t', 't', '-o', `head -c 5000000 > ${shellQuote(rawFile)}`);
  tmux('send-keys', '-t', 't', 'Enter');
  return {
    raw: () => (existsSync(rawFile) ? readFileSync(rawFile, 'latin1') : ''),
    screen: () => tmux('capture-pane', '-p', '-J', '-S', '-5000', '-t', 't'),
    type: (text) => void tmux('send-keys', '-t', 't', '-l', text + '\r'),
    keys: (text) => void tmux('send-keys', '-t', 't', '-l', '--', text),
    press: (...keys) => void tmux('send-keys', '-t', 't', ...keys),
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        // Polls the screen: a shell answers a key in its own time, and there is nothing else to latch on.
        const check = (): void => {
          const screen = tmux('capture-pane', '-p', '-J', '-t', 't');
          if (pattern.test(screen)) return resolve(screen);
          if (Date.now() - started > timeoutMs) return reject(new Error(`the screen did not show ${String(pattern)} within ${timeoutMs} ms; it shows:\n${screen}`));
          setTimeout(check, 50);
        };
        check();
      }),
    exited: (timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        // Polls for the exit-code file: the pane's command ends on its own time, nothing to latch on.
        const check = (): void => {
          if (existsSync(rcFile) && readFileSync(rcFile, 'utf8').trim() !== '') return resolve(Number(readFileSync(rcFile, 'utf8').trim()));
          if (Date.now() - started > timeoutMs) return reject(new Error(`terminal command did not end within ${timeoutMs} ms; screen:\n${tmux('capture-pane', '-p', '-t', 't')}`));
          setTimeout(check, 50);
        };
        check();
      }),
    close: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
