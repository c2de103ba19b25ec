import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ProjectFiles } from '../core/project.js';
import { UserError } from '../errors.js';

/** Read a project folder's files; the pure core gets text, never paths to open. */
export async function readProjectFiles(dir: string): Promise<ProjectFiles> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`project folder not found: ${dir}`, 'Pass an existing folder with --project DIR, or run dingcast inside one.');
  const notificationsText = await readFile(join(root, 'notifications.yaml'), 'utf8').catch(() => undefined);
  const templatesDir = join(root, 'templates');
  const names = await readdir(templatesDir).catch(() => [] as string[]);
  const templates = await Promise.all(
    names
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map(async (n) => ({ file: toPosix(relative(root, join(templatesDir, n))), text: await readFile(join(templatesDir, n), 'utf8') })),
  );
  const varsFiles: ProjectFiles['varsFiles'] = new Map();
  for (const path of varsFilePaths(notificationsText)) {
    const abs = resolve(root, path);
    const text = await readFile(abs, 'utf8').catch((e: NodeJS.ErrnoException) => {
      varsFiles.set(path, { file: path, text: undefined, error: e.code ?? e.message });
      return undefined;
    });
    if (text !== undefined) varsFiles.set(path, { file: path, text });
  }
  return { notifications: notificationsText === undefined ? undefined : { file: 'notifications.yaml', text: notificationsText }, templates, varsFiles };
}

/** A light first read of notifications.yaml to learn which vars files to load; real errors come from the core. */
function varsFilePaths(text: string | undefined): string[] {
  if (text === undefined) return [];
  try {
    const v = parseYaml(text) as { notifications?: Record<string, { vars_file?: unknown }> } | null;
    return Object.values(v?.notifications ?? {})
      .map((n) => n?.vars_file)
      .filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}
