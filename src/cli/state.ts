import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import pc from 'picocolors';
import { DEFAULT_TIMEZONE } from '../core/project.js';
import { dayIn } from '../core/send/day.js';
import { UserError } from '../errors.js';
import { writeFileAtomically } from '../io/atomicFile.js';
import { MIN_KEEP_DAYS, recordsToKeep } from '../io/state/compact.js';
import { ledgerFile, openState, parseLedger, type LockHolder, type StateStatus, type StateStore } from '../io/state/index.js';
import { parseSeconds, targetOf } from './commands/options.js';
import { resolveAgentId } from './credentials.js';
import { log, out, plural } from './output.js';

/**
 * `dingcast state …`: look after the state that `send` keeps (design.md §7) — the `.dingcast/` files, or
 * PostgreSQL when DINGCAST_STATE is set. Each subcommand opens the same state `send` would for this project and
 * target (`--sandbox`, DINGTALK_BASE_URL), so what it shows or changes is what the next run reads.
 */
export interface StateTargetOptions {
  sandbox?: boolean;
}

/** What the state commands need from notifications.yaml, read on their own: a broken template must not stop `state unlock`. */
interface StateConfig {
  agentId?: number;
  timezone: string;
  required?: 'postgres';
}

async function readStateConfig(projectDir: string, env: NodeJS.ProcessEnv, sandbox: boolean | undefined): Promise<StateConfig> {
  const file = join(projectDir, 'notifications.yaml');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UserError(`no dingcast project in ${projectDir} (notifications.yaml not found)`, 'Run it in the project folder, or pass --project DIR.');
  }
  const { parse } = await import('yaml');
  const doc = ((): { app?: { agent_id?: unknown }; timezone?: unknown; state?: { backend?: unknown } } | null => {
    try {
      return parse(text) as never;
    } catch {
      return null; // a broken file is `validate`'s to explain; the state is still reachable without it
    }
  })();
  const config: StateConfig = { timezone: typeof doc?.timezone === 'string' && validZone(doc.timezone) ? doc.timezone : DEFAULT_TIMEZONE };
  // The same scope as `send`: the sandbox's default app, or the project's agent id.
  if (sandbox) config.agentId = 100000001;
  else {
    try {
      config.agentId = resolveAgentId(doc?.app?.agent_id as number | string | undefined, env);
    } catch {
      // no agent id: send uses the target alone as the scope, and so do we
    }
  }
  if (doc?.state?.backend === 'postgres') config.required = 'postgres';
  return config;
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function withState<T>(projectDir: string, opts: StateTargetOptions, env: NodeJS.ProcessEnv, f: (store: StateStore, config: StateConfig, target: string) => Promise<T>): Promise<T> {
  const config = await readStateConfig(projectDir, env, opts.sandbox);
  const target = targetOf(opts.sandbox, env);
  const store = await openState({ projectDir, target, env, ...(config.agentId !== undefined ? { agentId: config.agentId } : {}), ...(config.required ? { required: config.required } : {}) });
  try {
    return await f(store, config, target);
  } finally {
    await store.close();
  }
}

const shown = (path: string): string => relative(resolve('.'), path) || path;

export async function runStateStatus(projectDir: string, opts: StateTargetOptions & { json?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const status = await withState(projectDir, opts, env, (store) => store.status());
  if (opts.json) out(JSON.stringify({ format: 'dingcast.state-status/v1', ...status, where: status.backend === 'file' ? shown(status.where) : status.where }, null, 2));
  else out(formatStatus(status));
  return 0;
}

function formatStatus(s: StateStatus): string {
  const lines = [`${pc.bold('backend')}    ${s.backend === 'file' ? `files  ${shown(s.where)}` : `postgres  ${s.where}`}`];
  if (s.scope !== undefined) lines.push(`${pc.bold('scope')}      ${s.scope}${s.schemaVersion !== undefined ? `  (schema version ${s.schemaVersion})` : ''}`);
  lines.push(`${pc.bold('lock')}       ${s.lock ? describeHolder(s.lock) : 'free'}`);
  const types = Object.entries(s.byType)
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');
  const size = s.bytes !== undefined ? `, ${formatBytes(s.bytes)}` : '';
  const days = s.firstDay ? `, days ${s.firstDay}${s.lastDay && s.lastDay !== s.firstDay ? ` … ${s.lastDay}` : ''}` : '';
  lines.push(`${pc.bold('ledger')}     ${plural(s.records, 'record')}${types ? ` (${types})` : ''}${size}${days}`);
  if (s.lastSlots.length > 0) {
    lines.push(`${pc.bold('last slots')}`);
    const width = Math.max(...s.lastSlots.map((x) => x.notification.length));
    for (const x of s.lastSlots) lines.push(`  ${x.notification.padEnd(width)}  ${x.slot}`);
  }
  return lines.join('\n');
}

function describeHolder(h: LockHolder): string {
  const who = [h.run, h.holder].filter(Boolean).join(', ') || 'unknown holder';
  const when = h.expiresAt ? ` until ${h.expiresAt}` : h.since ? ` since ${h.since}` : '';
  return `${h.stale ? pc.yellow('stale') : 'held'} by ${who}${when}${h.why ? ` — ${h.why}` : ''}`;
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export async function runStateUnlock(projectDir: string, opts: StateTargetOptions & { force?: boolean; json?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!opts.force) {
    throw new UserError('`dingcast state unlock` needs --force', 'It lets go of the lock whoever holds it: a run still sending is stopped before its next call (fenced), and another run may start at once. `dingcast state status` shows the holder.');
  }
  const removed = await withState(projectDir, opts, env, (store) => store.forceUnlock());
  if (opts.json) out(JSON.stringify({ format: 'dingcast.state-unlock/v1', released: removed ?? null }, null, 2));
  if (!removed) log('the lock was free; nothing to do');
  else if (removed.stale) log(`released a stale lock (${describeHolder(removed)})`);
  else log(`${pc.yellow('released')} the lock of a run that looked alive (${describeHolder(removed)}); if it is still running it stops before its next call`);
  return 0;
}

export async function runStateExport(projectDir: string, opts: StateTargetOptions & { out?: string }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const read = await withState(projectDir, opts, env, (store) => store.read());
  for (const w of read.warnings) log(pc.yellow(`warning: ${w}`));
  const text = read.records.map((r) => JSON.stringify(r) + '\n').join('');
  if (opts.out === undefined || opts.out === '-') out(text.replace(/\n$/, ''));
  else {
    await writeAtomically(resolve(opts.out), text);
    log(`exported ${plural(read.records.length, 'record')} to ${shown(resolve(opts.out))}`);
  }
  return 0;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await writeFileAtomically(file, text).catch((e: unknown) => {
    throw new UserError(`cannot write ${file}: ${(e as Error).message}`, 'Pick a writable place with --out FILE, or leave --out off to print to stdout.');
  });
}

export async function runStateImport(projectDir: string, file: string, opts: StateTargetOptions & { json?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UserError(`${file} does not exist`, 'Name a file ledger, e.g. `dingcast state import .dingcast/ledger.jsonl`.');
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new UserError(`cannot read ${file}: ${(e as Error).message}`);
  });
  const parsed = parseLedger(text, file);
  for (const w of parsed.warnings) log(pc.yellow(`warning: ${w}`));
  const result = await withState(projectDir, opts, env, async (store, _config, target) => {
    if (store.backend === 'postgres') checkTargetOfFile(path, projectDir, target, opts.sandbox);
    return { ...(await store.importRecords(parsed.records)), where: store.where };
  });
  if (opts.json) out(JSON.stringify({ format: 'dingcast.state-import/v1', file, where: result.where, added: result.added, existing: result.existing }, null, 2));
  log(`imported ${plural(result.added, 'record')} from ${file} into ${result.where}${result.existing > 0 ? ` (${result.existing} already there)` : ''}`);
  log(pc.dim(`While DINGCAST_STATE is set, ${file} is no longer read; keep it as a backup or delete it.`));
  return 0;
}

/**
 * A file ledger belongs to one target (DingTalk, the sandbox, another base URL). Importing the sandbox's into the
 * real scope would make real sends skip people as "already sent today": its name must match this run's target.
 */
function checkTargetOfFile(path: string, projectDir: string, target: string, sandbox: boolean | undefined): void {
  const name = basename(path);
  if (!/^ledger(\..+)?\.jsonl$/.test(name)) return; // a renamed copy: the user picked it on purpose
  const expected = basename(ledgerFile(projectDir, target));
  if (name === expected) return;
  const hint =
    name === 'ledger.sandbox.jsonl'
      ? 'It is the ledger of `send --sandbox`: add --sandbox to import it into the sandbox\'s scope.'
      : name === 'ledger.jsonl'
        ? `It is the ledger of sends to DingTalk itself; this run's target is ${sandbox ? 'the sandbox (--sandbox)' : target} (unset DINGTALK_BASE_URL, or drop --sandbox).`
        : `It belongs to another DINGTALK_BASE_URL than ${target}; set DINGTALK_BASE_URL to the one it was written for.`;
  throw new UserError(`${name} is not the ledger of this target (${expected} is)`, `${hint} Nothing was imported.`);
}

export async function runStateCompact(projectDir: string, opts: StateTargetOptions & { keepDays: string; dryRun?: boolean; lockWait: string; at?: Date; json?: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const keepDays = Number(opts.keepDays);
  if (!Number.isInteger(keepDays) || keepDays < MIN_KEEP_DAYS) {
    throw new UserError(`--keep-days \`${opts.keepDays}\` must be a whole number of at least ${MIN_KEEP_DAYS}`, 'Planning reads today, DingTalk keeps results and recalls for 24 h, and people look back a week: compact keeps at least 7 days.');
  }
  const lockWaitMs = parseSeconds('--lock-wait', opts.lockWait);
  const now = opts.at ?? new Date();
  const result = await withState(projectDir, opts, env, async (store, config) => {
    const from = new Date(now.getTime() - keepDays * 86_400_000);
    const keep = (records: Parameters<typeof recordsToKeep>[0]): boolean[] => recordsToKeep(records, dayIn(from, config.timezone), from.toISOString());
    if (opts.dryRun) {
      const { records } = await store.read();
      const mask = keep(records);
      return { kept: mask.filter(Boolean).length, removed: mask.filter((k) => !k).length, where: store.where };
    }
    // Under the run lock: a send running now must not append to a ledger being rewritten.
    await store.lock(`compact-${randomBytes(3).toString('hex')}`, lockWaitMs);
    return { ...(await store.compact(keep)), where: store.where };
  });
  const where = result.where.startsWith('/') ? shown(result.where) : result.where;
  const verb = opts.dryRun ? 'would remove' : 'removed';
  if (opts.json) out(JSON.stringify({ format: 'dingcast.state-compact/v1', where, dry_run: opts.dryRun === true, keep_days: keepDays, removed: result.removed, kept: result.kept }, null, 2));
  log(`${verb} ${plural(result.removed, 'record')} older than ${keepDays} days from ${where}; ${plural(result.kept, 'record')} kept (each notification's last slot always is)`);
  return 0;
}
