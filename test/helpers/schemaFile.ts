import { readFileSync } from 'node:fs';
import type { SchemaName } from '../../src/core/schemas.js';

/** A shipped schema/<name>.schema.json as parsed JSON (src/ only uses the precompiled validators). */
export function loadSchema(name: SchemaName): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../schema/${name}.schema.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
}
