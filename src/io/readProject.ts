import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { varsFilePaths } from '../core/load/varsFilePaths.js';
import { dataFilePaths } from '../core/recipients/dataFilePaths.js';
import type { FileText, ProjectFiles } from '../core/project.js';
import { UserError } from '../errors.js';
import { resolveInsideProject } from './projectPath.js';
import { describeReadError, readTextFile } from './readText.js';

/** Read a project folder's files; the pure core gets text, never paths to open. */
export async function readProjectFiles(dir: string): Promise<ProjectFiles> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`project folder not found: ${dir}`, 'Pass an existing folder with --project DIR, or run dingcast inside one.');
  const problems: Diagnostic[] = [];
  const notifications = await readProjectFile(root, 'notifications.yaml', problems);
  const names = await readdir(join(root, 'templates')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') problems.push(fileProblem('templates', describeReadError(e)));
    return [] as string[];
  });
  const templates: FileText[] = [];
  for (const n of names.filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const f = await readProjectFile(root, `templates/${n}`, problems);
    if (f) templates.push(f);
  }
  const varsFiles: ProjectFiles['varsFiles'] = new Map();
  for (const path of varsFilePaths(notifications?.text)) {
    const where = await resolveInsideProject(root, path);
    // A path the rule refuses is never opened; the core reports it at its line in notifications.yaml.
    if (!where.ok) {
      varsFiles.set(path, { file: path, text: undefined, error: where.message, hint: where.hint });
      continue;
    }
    const r = await readTextFile(where.abs);
    varsFiles.set(path, r.ok ? { file: path, text: r.text } : { file: path, text: undefined, error: r.line > 0 ? `line ${r.line}, column ${r.column}: ${r.message}` : r.message, hint: r.hint });
  }
  const dataFiles: NonNullable<ProjectFiles['dataFiles']> = new Map();
  for (const path of dataFilePaths(notifications?.text)) {
    const where = await resolveInsideProject(root, path);
    if (!where.ok) {
      dataFiles.set(path, { file: path, bytes: undefined, error: where.message });
      continue;
    }
    // Bytes, not text: a CSV saved by Excel may be GBK, which the core detects and converts.
    const bytes = await readFile(where.abs).catch((e: NodeJS.ErrnoException) => {
      dataFiles.set(path, { file: path, bytes: undefined, error: describeReadError(e).message });
      return undefined;
    });
    if (bytes !== undefined) dataFiles.set(path, { file: path, bytes });
  }
  return { notifications, templates, varsFiles, problems, dataFiles };
}

/** One file of the project (`rel` uses forward slashes); undefined when it is missing or cannot be read (then `problems` says why). */
async function readProjectFile(root: string, rel: string, problems: Diagnostic[]): Promise<FileText | undefined> {
  const where = await resolveInsideProject(root, rel);
  if (!where.ok) {
    problems.push({ ...fileProblem(rel, where), code: 'path/outside-project' });
    return undefined;
  }
  const r = await readTextFile(where.abs);
  if (r.ok) return { file: rel, text: r.text };
  if (!r.missing) problems.push({ ...fileProblem(rel, r), code: r.line > 0 ? 'file/encoding' : 'file/unreadable', line: r.line, column: r.column });
  return undefined;
}

function fileProblem(file: string, why: { message: string; hint: string }): Diagnostic {
  return { severity: 'error', code: 'file/unreadable', file, line: 0, column: 0, message: `${file} cannot be read: ${why.message}`, hint: why.hint };
}
