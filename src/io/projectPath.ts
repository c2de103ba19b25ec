import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { checkProjectPath } from '../core/load/projectPath.js';

export { checkProjectPath } from '../core/load/projectPath.js';

/**
 * Where a path written in a project file really is, or why it may not be read: the pure rule of
 * `checkProjectPath` (no absolute paths, no `..`), then the file's real path with every symbolic link followed,
 * which must still be inside the project's real path. A missing file passes here; reading it reports that.
 */
export type ResolvedPath = { ok: true; abs: string } | { ok: false; message: string; hint: string };

export function resolveInsideProject(root: string, written: string): ResolvedPath {
  const rule = checkProjectPath(written);
  if (!rule.ok) return rule;
  const abs = resolve(root, rule.path);
  // Synchronous for the same reason as readTextFile: one project read resolves a path per file it reads.
  const realRoot = realOrUndefined(root) ?? resolve(root);
  const realFile = realOrUndefined(abs);
  if (realFile !== undefined && !isInside(realRoot, realFile)) {
    return { ok: false, message: `\`${written}\` is a symbolic link to a file outside the project folder`, hint: 'Copy the file into the project instead of linking to it; dingcast reads only files inside the project.' };
  }
  return { ok: true, abs };
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

export function isInside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
