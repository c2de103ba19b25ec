import { createRequire } from 'node:module';
import type { ValidationResult } from '../core/diagnostics.js';
import type { Project } from '../core/project.js';
import type { ProjectSide } from '../io/readProject.js';
import { lookupValidation, storeValidation, type CachedValidation } from '../io/validateCache.js';

/** dingcast's own version: part of every cache key, so an upgrade never reuses an answer the old one gave. */
export function dingcastVersion(): string {
  return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
}

/** `DINGCAST_NO_CACHE=1` (any value but empty or 0) always validates afresh. */
export function cacheEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.DINGCAST_NO_CACHE === undefined || env.DINGCAST_NO_CACHE === '' || env.DINGCAST_NO_CACHE === '0';
}

/** validate's cached answer for the folder as it is now (see io/validateCache.ts), or undefined. */
export async function cachedValidation(dir: string, now: Date, env: NodeJS.ProcessEnv): Promise<CachedValidation | undefined> {
  return cacheEnabled(env) ? lookupValidation(dir, now, dingcastVersion()) : undefined;
}

/**
 * What `dingcast validate` would say about the folder a command already read (send --dry-run validates on its way).
 * `before` is the cached answer looked up before the folder was read: it is used only when the same answer still
 * holds after the read, so it describes the very bytes the command read (an edit in between is a miss). Otherwise
 * the side is validated afresh, and the answer remembered for the next run.
 */
export async function validationOf(side: ProjectSide & { project: Project }, now: Date, env: NodeJS.ProcessEnv, before: CachedValidation | undefined): Promise<ValidationResult> {
  if (before) {
    const after = await cachedValidation(side.dir, now, env);
    if (after && JSON.stringify(after) === JSON.stringify(before)) return after.result;
  }
  // Loaded only on a miss: a hit needs neither the schemas nor the checks.
  const { validateSide } = await import('./validateFolder.js');
  const { result, inputs } = validateSide(side, now);
  if (cacheEnabled(env)) await storeValidation(side.dir, now, dingcastVersion(), inputs, { templates: side.project.templates.size, notifications: side.project.notifications.length, result });
  return result;
}
