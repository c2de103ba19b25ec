import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, realpath, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ValidationResult } from '../core/diagnostics.js';

/**
 * `.dingcast/cache/validate.json`: the last validation of an unchanged project, so `dingcast validate` can answer
 * without parsing YAML or compiling schemas and templates. A hit needs every input to be as it was, byte for byte:
 * each file read (sha256 of its bytes, and where it really lives, so a symlink moved elsewhere is a change), each
 * folder listed (a template or calendar added or removed), dingcast's version and Node's (time-zone data), and the
 * quarter hour (every UTC offset is a multiple of 15 minutes, so the local date, `@today` and the calendar-coverage
 * warnings cannot change within one). A project that prints the time with `{{date "…"}}` (minutes at most) is cached
 * for the minute; any other use of the clock (`@now`, seconds, `date` inside another helper or block) is not cached.
 * Anything unreadable, corrupt or from another version is a miss, never an error.
 */

const FORMAT = 'dingcast.validate-cache/v1';
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** `{{date}}`, `{{date @now}}`, `{{date "HH:mm"}}`, `{{date @now "YYYY-MM-DD HH:mm"}}`: the time printed, not acted on. */
const PRINTED_TIME = /\{\{~?\s*date(?:\s+@now)?(?:\s+"([^"]*)")?\s*~?\}\}/g;
const CLOCK = /@now\b|\bdate\b/g;

/** How long a validation of these texts stays true: a quarter hour, a minute when they print the time, else none. */
function validFor(texts: string[]): number | undefined {
  let resolution = QUARTER_HOUR_MS;
  for (const text of texts) {
    const clockUses = text.match(CLOCK)?.length ?? 0;
    if (clockUses === 0) continue;
    const printed = [...text.matchAll(PRINTED_TIME)];
    const printedUses = printed.reduce((n, m) => n + (m[0].match(CLOCK)?.length ?? 0), 0);
    if (printedUses !== clockUses || printed.some((m) => (m[1] ?? '').includes('ss'))) return undefined;
    resolution = MINUTE_MS;
  }
  return resolution;
}

export interface CachedValidation {
  templates: number;
  notifications: number;
  result: ValidationResult;
}

/** What a validation read: files (relative to the project, or absolute) and the folders whose listing it used. */
export interface ValidationInputs {
  files: string[];
  folders: string[];
  /** The text or bytes the command read, by path, where it kept them: checked against the files when storing. */
  read?: Map<string, string | Uint8Array>;
}

function sha256Of(content: string | Uint8Array | undefined): string | null {
  return content === undefined ? null : createHash('sha256').update(content).digest('hex');
}

interface Fingerprint {
  path: string;
  real: string | null;
  sha256: string | null;
}

interface Entry {
  format: typeof FORMAT;
  resolutionMs: number;
  key: string;
  files: Fingerprint[];
  folders: { path: string; names: string[] | null }[];
}

/**
 * One answer kept in `.dingcast/cache/<name>.json`, with the same rules for every command: `validate` (what
 * validate says) and `render` (what `render --dry-run` renders). `request` is what else the answer depends on (the
 * ids asked for); `isValue` refuses an entry of the wrong shape.
 */
export interface CacheSlot<T> {
  name: 'validate' | 'render';
  request?: string;
  isValue(entry: Record<string, unknown>): boolean;
  value(entry: Record<string, unknown>): T;
}

const VALIDATION: CacheSlot<CachedValidation> = {
  name: 'validate',
  isValue: (e) => typeof e.templates === 'number' && typeof e.notifications === 'number' && Array.isArray((e.result as CachedValidation['result'] | null)?.errors) && Array.isArray((e.result as CachedValidation['result'] | null)?.warnings),
  value: (e) => ({ templates: e.templates as number, notifications: e.notifications as number, result: e.result as CachedValidation['result'] }),
};

export function cacheFile(projectDir: string, name: CacheSlot<unknown>['name'] = 'validate'): string {
  return join(projectDir, '.dingcast', 'cache', `${name}.json`);
}

function keyOf(version: string, now: Date, resolutionMs: number, request: string | undefined): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, version, process.version, resolutionMs, Math.floor(now.getTime() / resolutionMs), ...(request === undefined ? [] : [request])])).digest('hex');
}

async function fingerprint(root: string, path: string): Promise<Fingerprint & { text: string | null }> {
  const abs = resolve(root, path);
  const real = await realpath(abs).catch(() => null);
  const bytes = real === null ? null : await readFile(abs).catch(() => null);
  return { path, real, sha256: bytes === null ? null : createHash('sha256').update(bytes).digest('hex'), text: bytes === null ? null : bytes.toString('utf8') };
}

async function listing(root: string, path: string): Promise<string[] | null> {
  return readdir(resolve(root, path)).then((names) => names.sort(), () => null);
}

/** The cached validation when nothing it depends on changed; undefined otherwise. */
export function lookupValidation(projectDir: string, now: Date, version: string): Promise<CachedValidation | undefined> {
  return lookupCached(projectDir, now, version, VALIDATION);
}

/** Remember a validation; quietly does nothing when the project reads the clock or the folder is not writable. */
export function storeValidation(projectDir: string, now: Date, version: string, inputs: ValidationInputs, value: CachedValidation): Promise<void> {
  return storeCached(projectDir, now, version, VALIDATION, inputs, { ...value });
}

/** The cached answer of `slot` when nothing it depends on changed; undefined otherwise. */
export async function lookupCached<T>(projectDir: string, now: Date, version: string, slot: CacheSlot<T>): Promise<T | undefined> {
  const root = resolve(projectDir);
  let entry: Entry & Record<string, unknown>;
  try {
    entry = JSON.parse(await readFile(cacheFile(root, slot.name), 'utf8')) as Entry & Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (entry?.format !== FORMAT || typeof entry.resolutionMs !== 'number' || entry.resolutionMs < MINUTE_MS || entry.key !== keyOf(version, now, entry.resolutionMs, slot.request) || !Array.isArray(entry.files) || !Array.isArray(entry.folders)) return undefined;
  if (!slot.isValue(entry)) return undefined;
  for (const f of entry.folders) {
    if (JSON.stringify(await listing(root, f.path)) !== JSON.stringify(f.names)) return undefined;
  }
  for (const f of entry.files) {
    const current = await fingerprint(root, f.path);
    if (current.real !== f.real || current.sha256 !== f.sha256) return undefined;
  }
  return slot.value(entry);
}

/** Remember an answer; quietly does nothing when the project reads the clock or the folder is not writable. */
export async function storeCached(projectDir: string, now: Date, version: string, slot: CacheSlot<unknown>, inputs: ValidationInputs, value: Record<string, unknown>): Promise<void> {
  const root = resolve(projectDir);
  const files = await Promise.all(inputs.files.map((f) => fingerprint(root, f)));
  // A file edited after the command read it: the answer is about the old bytes, so it is not filed under the new.
  if (files.some((f) => inputs.read?.has(f.path) === true && f.sha256 !== sha256Of(inputs.read.get(f.path)))) return;
  const resolutionMs = validFor(files.flatMap((f) => (f.text === null ? [] : [f.text])));
  if (resolutionMs === undefined) return;
  const folders = await Promise.all(inputs.folders.map(async (path) => ({ path, names: await listing(root, path) })));
  const entry: Entry = { format: FORMAT, resolutionMs, key: keyOf(version, now, resolutionMs, slot.request), files: files.map(({ text: _text, ...f }) => f), folders, ...value };
  const file = cacheFile(root, slot.name);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(root, '.dingcast', 'cache'), { recursive: true });
    // Written whole, then renamed: a run that reads it meanwhile sees the old entry or the new one, never half of one.
    await writeFile(temp, JSON.stringify(entry));
    await rename(temp, file);
  } catch {
    // A read-only project validates as before, just without the cache.
  }
}
