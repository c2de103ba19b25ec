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
}

interface Fingerprint {
  path: string;
  real: string | null;
  sha256: string | null;
}

interface Entry extends CachedValidation {
  format: typeof FORMAT;
  resolutionMs: number;
  key: string;
  files: Fingerprint[];
  folders: { path: string; names: string[] | null }[];
}

export function cacheFile(projectDir: string): string {
  return join(projectDir, '.dingcast', 'cache', 'validate.json');
}

function keyOf(version: string, now: Date, resolutionMs: number): string {
  return createHash('sha256').update(JSON.stringify([FORMAT, version, process.version, resolutionMs, Math.floor(now.getTime() / resolutionMs)])).digest('hex');
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

/** The cached result when nothing it depends on changed; undefined otherwise. */
export async function lookupValidation(projectDir: string, now: Date, version: string): Promise<CachedValidation | undefined> {
  const root = resolve(projectDir);
  let entry: Entry;
  try {
    entry = JSON.parse(await readFile(cacheFile(root), 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (entry?.format !== FORMAT || typeof entry.resolutionMs !== 'number' || entry.resolutionMs < MINUTE_MS || entry.key !== keyOf(version, now, entry.resolutionMs) || !Array.isArray(entry.files) || !Array.isArray(entry.folders)) return undefined;
  if (typeof entry.templates !== 'number' || typeof entry.notifications !== 'number' || !Array.isArray(entry.result?.errors) || !Array.isArray(entry.result?.warnings)) return undefined;
  for (const f of entry.folders) {
    if (JSON.stringify(await listing(root, f.path)) !== JSON.stringify(f.names)) return undefined;
  }
  for (const f of entry.files) {
    const current = await fingerprint(root, f.path);
    if (current.real !== f.real || current.sha256 !== f.sha256) return undefined;
  }
  return { templates: entry.templates, notifications: entry.notifications, result: entry.result };
}

/** Remember a validation; quietly does nothing when the project reads the clock or the folder is not writable. */
export async function storeValidation(projectDir: string, now: Date, version: string, inputs: ValidationInputs, value: CachedValidation): Promise<void> {
  const root = resolve(projectDir);
  const files = await Promise.all(inputs.files.map((f) => fingerprint(root, f)));
  const resolutionMs = validFor(files.flatMap((f) => (f.text === null ? [] : [f.text])));
  if (resolutionMs === undefined) return;
  const folders = await Promise.all(inputs.folders.map(async (path) => ({ path, names: await listing(root, path) })));
  const entry: Entry = { format: FORMAT, resolutionMs, key: keyOf(version, now, resolutionMs), files: files.map(({ text: _text, ...f }) => f), folders, ...value };
  const file = cacheFile(root);
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
