import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_TIMEZONE } from '../../core/project.js';
import { isLocalTime, localToInstant } from '../../core/time.js';
import { UserError } from '../../errors.js';
import { baseUrlFromEnv } from '../../io/dingtalk/baseUrl.js';

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

/** `--at` as typed: an instant (it had `Z` or an offset), or a wall-clock time the project's zone turns into one. */
export type AtValue = Date | { local: string };

/** `--at <iso>`: an ISO time, or a clear error naming an example. Without an offset it is resolved later (resolveAt). */
export function parseAt(value: string): AtValue {
  if (isLocalTime(value)) return { local: value.trim() };
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`\`${value}\` is not an ISO time, e.g. --at 2026-11-26T09:00:00+08:00 (or 2026-11-26T09:00 in the project's time zone)`);
  return d;
}

export function atOption(description: string): Option {
  return new Option('--at <iso>', `${description}; without an offset, in the project's time zone`).argParser(parseAt);
}

/** The project's `timezone` (notifications.yaml), read on its own: `--at` is resolved before the project loads. */
async function projectTimeZone(projectDir: string): Promise<string> {
  try {
    const { parse } = await import('yaml');
    const tz = (parse(await readFile(join(projectDir, 'notifications.yaml'), 'utf8')) as { timezone?: unknown } | null)?.timezone;
    if (typeof tz !== 'string') return DEFAULT_TIMEZONE;
    new Intl.DateTimeFormat('en-US', { timeZone: tz }); // throws for a zone that does not exist
    return tz;
  } catch {
    return DEFAULT_TIMEZONE; // a missing or broken file is reported by the command itself
  }
}

/**
 * Turns a wall-clock `--at` into an instant in the project's time zone (engineers in China type Beijing time).
 * Run as a preAction hook, so every command's action receives a Date.
 */
export async function resolveAt(command: Command, projectDir: string): Promise<void> {
  const at = command.getOptionValue('at') as AtValue | undefined;
  if (at === undefined || at instanceof Date) return;
  const tz = await projectTimeZone(projectDir);
  const d = localToInstant(at.local, tz);
  if (!d) throw new UserError(`--at \`${at.local}\` is not an ISO time`, 'e.g. --at 2026-11-26T09:00 (in the project\'s time zone) or --at 2026-11-26T09:00:00+08:00');
  command.setOptionValue('at', d);
}

/** `--wait-timeout 120`, `--lock-wait 60`: a number of seconds as typed, in milliseconds, or a clear error. */
export function parseSeconds(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new UserError(`${flag} \`${value}\` is not a number of seconds`, `e.g. ${flag} 60`);
  return n * 1000;
}

/** `--format <format>` with its fixed set of values (commander lists them in --help and refuses others). */
export function formatOption<F extends string>(formats: readonly [F, ...F[]], description = 'output format'): Option {
  return new Option('--format <format>', description).choices(formats).default(formats[0]);
}

export function jsonOption(description = 'machine-readable output on stdout'): Option {
  return new Option('--json', description);
}

/** `--json` on a command that has `--format`: the same habit as everywhere else, meaning `--format json`. */
export function jsonFormatOption(): Option {
  return new Option('--json', 'machine-readable output on stdout (same as --format json)').implies({ format: 'json' });
}

/** `--json --format text` asks for two things: say so rather than pick one. */
export function checkJsonFormat(opts: { json?: boolean; format: string }): void {
  if (opts.json && opts.format !== 'json') throw new UserError(`--json and --format ${opts.format} ask for different outputs`, 'give one of them');
}

/**
 * Where a run's messages go, which picks its ledger: the in-process sandbox of `--sandbox`, DINGTALK_BASE_URL,
 * or DingTalk itself. `send` and `schedule` must agree, or `schedule` shows slots another ledger fired.
 */
export function targetOf(sandbox: boolean | undefined, env: NodeJS.ProcessEnv): string {
  return sandbox ? 'sandbox' : baseUrlFromEnv(env);
}

/** For repeatable options: `--var a=1 --var b=2` → ['a=1', 'b=2']. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Help text after the options: examples, then anything else worth knowing (exit codes, environment). */
export function examples(lines: string[], ...notes: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}${notes.length > 0 ? `\n\n${notes.join('\n')}` : ''}`;
}
