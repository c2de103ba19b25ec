import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { parseYamlSource, writtenNumbers, type YamlSource } from '../core/load/yamlSource.js';
import { writeFileAtomically } from './atomicFile.js';

/**
 * `.dingcast/cache/yaml.json`: the plain value of each project YAML file a dry run parsed, by the sha256 of its
 * text, so an unchanged file is `JSON.parse`d instead of parsed by yaml (issue 12 item 1). Only a parse that had no
 * diagnostic at all is kept, and only when its value is plain JSON that reads back the same: strings, finite numbers
 * (not -0), booleans, null, plain arrays and objects, no object reached twice (an alias), no `__proto__` key. A hit
 * gives a YamlSource whose `doc` and `lineCounter` are parsed from the same text the first time something asks for a
 * position, so every diagnostic and source lookup is the fresh parse's, except the written form of numbers (`010`,
 * digits beyond 2^53), kept beside the value so department ids need no parse (v2). The file names dingcast's, yaml's and Node's
 * versions; anything else (another version, a corrupt file, a wrong shape) is a miss, never an error. Entries not
 * used by a run are dropped when it writes the file. test/io/yaml-cache.test.ts covers each case.
 */

const FORMAT = 'dingcast.yaml-cache/v2';

interface CacheFile {
  format: string;
  versions: string;
  /** sha256 of a file's text → JSON text of its value. */
  entries: Record<string, string>;
  /** sha256 → the file's writtenNumbers (core/load/yamlSource.ts), for the entries that have any. */
  numbers?: Record<string, Record<string, string | null>>;
}

interface Entry {
  value: string;
  numbers?: Record<string, string | null>;
}

type ParseResult = { source: YamlSource; diagnostics: Diagnostic[] };

export interface YamlCache {
  /** The parse of `text` (from the cache, or parsed now and remembered when it may be). */
  parse(file: string, text: string): ParseResult;
  /** Writes the file when this run's entries differ from what it read. Never throws. */
  save(): Promise<void>;
}

function versions(): string {
  const require = createRequire(import.meta.url);
  const own = (require('../../package.json') as { version: string }).version;
  const yaml = (require('yaml/package.json') as { version: string }).version;
  return `dingcast ${own}; yaml ${yaml}; node ${process.versions.node}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function readCache(path: string, want: string): Record<string, Entry> {
  const out: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<CacheFile> | null;
    if (!raw || raw.format !== FORMAT || raw.versions !== want || !isRecord(raw.entries) || (raw.numbers !== undefined && !isRecord(raw.numbers))) return out;
    for (const [k, v] of Object.entries(raw.entries)) {
      if (!/^[0-9a-f]{64}$/.test(k) || typeof v !== 'string') continue;
      const numbers: unknown = raw.numbers && Object.prototype.hasOwnProperty.call(raw.numbers, k) ? raw.numbers[k] : undefined;
      if (numbers === undefined) out[k] = { value: v };
      // A malformed table drops its entry: the file is parsed afresh.
      else if (isRecord(numbers) && Object.values(numbers).every((w) => w === null || typeof w === 'string')) out[k] = { value: v, numbers: numbers as Record<string, string | null> };
    }
    return out;
  } catch {
    return out;
  }
}

const sameEntry = (a: Entry | undefined, b: Entry): boolean => a !== undefined && a.value === b.value && JSON.stringify(a.numbers ?? {}) === JSON.stringify(b.numbers ?? {});

/** A value JSON holds exactly: anything else (NaN, -0, a Date, a Map, a shared object) is not cached. */
export function isPlainJson(value: unknown, seen = new Set<object>()): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  if (seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) return value.every((v) => isPlainJson(v, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return false;
  return Object.values(value).every((v) => isPlainJson(v, seen));
}

/** A YamlSource whose document is parsed from its text only when a position is asked for. */
function lazySource(file: string, text: string, value: unknown, numbers: Record<string, string | null> | undefined): YamlSource {
  let full: YamlSource | undefined;
  const parsed = (): YamlSource => (full ??= parseYamlSource(file, text).source);
  return {
    file,
    text,
    value,
    numbers: new Map(Object.entries(numbers ?? {})),
    get doc() {
      return parsed().doc;
    },
    get lineCounter() {
      return parsed().lineCounter;
    },
  };
}

export function openYamlCache(projectDir: string): YamlCache {
  const path = join(projectDir, '.dingcast', 'cache', 'yaml.json');
  const want = versions();
  const before = readCache(path, want);
  const used: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
  return {
    parse(file, text) {
      const key = sha256(text);
      const hit = before[key];
      if (hit !== undefined) {
        try {
          const value: unknown = JSON.parse(hit.value);
          used[key] = hit;
          return { source: lazySource(file, text, value, hit.numbers), diagnostics: [] };
        } catch {
          // a corrupt entry: parse afresh below
        }
      }
      const result = parseYamlSource(file, text);
      // Taken now, before the loader adjusts the value (department ids beyond 2^53 become strings in place).
      if (result.diagnostics.length === 0 && isPlainJson(result.source.value)) {
        const numbers = writtenNumbers(result.source);
        used[key] = Object.keys(numbers).length > 0 ? { value: JSON.stringify(result.source.value), numbers } : { value: JSON.stringify(result.source.value) };
      }
      return result;
    },
    async save() {
      const keys = Object.keys(used);
      if (keys.length === Object.keys(before).length && keys.every((k) => sameEntry(before[k], used[k]!))) return;
      const entries: Record<string, string> = {};
      const numbers: Record<string, Record<string, string | null>> = {};
      for (const k of keys) {
        entries[k] = used[k]!.value;
        if (used[k]!.numbers) numbers[k] = used[k]!.numbers!;
      }
      const body: CacheFile = { format: FORMAT, versions: want, entries, ...(Object.keys(numbers).length > 0 ? { numbers } : {}) };
      try {
        await mkdir(join(projectDir, '.dingcast', 'cache'), { recursive: true });
        await writeFileAtomically(path, JSON.stringify(body) + '\n');
      } catch {
        // A read-only project still runs; the next run parses again.
      }
    },
  };
}
