import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_BASE_URL } from '../credentials.js';

/**
 * The flags several commands share, parsed in one place: `--at`, `--format`/`--json`, and the target (which
 * ledger a run reads and writes). Commands get parsed values, never the raw strings.
 */

/** What every command's action receives: the global options, the environment, and where to put its exit code. */
export interface CommandContext {
  /** `--project`, resolved when the action runs (global options are parsed before the subcommand's). */
  project(): string;
  env: NodeJS.ProcessEnv;
  setCode(code: number): void;
}

/** `--at <iso>`: an ISO time, or a clear error naming an example. */
export function parseAt(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`\`${value}\` is not an ISO time, e.g. --at 2026-11-26T09:00:00+08:00`);
  return d;
}

export function atOption(description: string): Option {
  return new Option('--at <iso>', description).argParser(parseAt);
}

/** `--format <format>` with its fixed set of values (commander lists them in --help and refuses others). */
export function formatOption<F extends string>(formats: readonly [F, ...F[]], description = 'output format'): Option {
  return new Option('--format <format>', description).choices(formats).default(formats[0]);
}

export function jsonOption(description = 'machine-readable output on stdout'): Option {
  return new Option('--json', description);
}

/**
 * Where a run's messages go, which picks its ledger: the in-process sandbox of `--sandbox`, DINGTALK_BASE_URL,
 * or DingTalk itself. `send` and `schedule` must agree, or `schedule` shows slots another ledger fired.
 */
export function targetOf(sandbox: boolean | undefined, env: NodeJS.ProcessEnv): string {
  return sandbox ? 'sandbox' : (env.DINGTALK_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** For repeatable options: `--var a=1 --var b=2` → ['a=1', 'b=2']. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Help text after the options: examples, then anything else worth knowing (exit codes, environment). */
export function examples(lines: string[], ...notes: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}${notes.length > 0 ? `\n\n${notes.join('\n')}` : ''}`;
}
