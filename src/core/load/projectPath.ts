import { posix } from 'node:path';

/**
 * The one rule for paths written in project files (templates, `vars_file`, recipient files, calendars, media):
 * they name a file inside the project folder. A reviewed pull request must not be able to make dingcast read
 * (and send) `/etc/passwd` or `../../secrets.env`. This is the pure half — the written text; the I/O half,
 * `resolveInsideProject` in `src/io/projectPath.ts`, also follows symbolic links and refuses an escape.
 */
export type ProjectPath = { ok: true; path: string } | { ok: false; message: string; hint: string };

const HINT = 'Write a path relative to the project folder that stays inside it (no leading `/`, drive letter or `..`); copy the file into the project if it lives elsewhere.';

export function checkProjectPath(written: string): ProjectPath {
  if (written.trim() === '') return { ok: false, message: 'the path is empty', hint: HINT };
  if (written.includes('\0')) return { ok: false, message: 'the path contains a NUL character', hint: HINT };
  // Backslashes are separators on Windows: `..\x` must not slip past a POSIX-only check.
  const slashed = written.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed) || slashed.startsWith('~')) {
    return { ok: false, message: `\`${written}\` is an absolute path; project files are read only from inside the project folder`, hint: HINT };
  }
  const path = posix.normalize(slashed);
  if (path === '..' || path.startsWith('../')) {
    return { ok: false, message: `\`${written}\` points outside the project folder`, hint: HINT };
  }
  if (path === '.' ) return { ok: false, message: `\`${written}\` names the project folder itself, not a file`, hint: HINT };
  return { ok: true, path };
}
