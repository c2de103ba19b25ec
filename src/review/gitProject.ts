import { posix } from 'node:path';
import { checkProjectPath } from '../core/load/projectPath.js';
import { varsFilePaths } from '../core/load/varsFilePaths.js';
import type { FileText, ProjectFiles } from '../core/project.js';
import { git, gitOk, type Repo } from './git.js';

/**
 * The project's files as they were at a commit, read with `git ls-tree` / `git show`, in the same shape that
 * `readProjectFiles` gives for the working tree: the core loads both the same way.
 * Undefined when the commit has neither notifications.yaml nor templates (the project is new).
 */
export async function readProjectFilesAt(repo: Repo, commit: string): Promise<ProjectFiles | undefined> {
  const listed = await gitOk(repo.root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', `${repo.prefix}notifications.yaml`, `${repo.prefix}templates/`]);
  const paths = listed.split('\0').filter((p) => p !== '');
  const notificationsPath = `${repo.prefix}notifications.yaml`;
  const templatePaths = paths
    .filter((p) => p.startsWith(`${repo.prefix}templates/`))
    // readProjectFiles reads templates/ one level deep only.
    .filter((p) => !p.slice(`${repo.prefix}templates/`.length).includes('/') && /\.ya?ml$/.test(p))
    .sort();
  const hasNotifications = paths.includes(notificationsPath);
  if (!hasNotifications && templatePaths.length === 0) return undefined;

  const show = (path: string) => showFile(repo.root, commit, path);
  const notifications: FileText | undefined = hasNotifications ? { file: 'notifications.yaml', text: await show(notificationsPath) } : undefined;
  const templates = await Promise.all(templatePaths.map(async (p) => ({ file: p.slice(repo.prefix.length), text: await show(p) })));
  const varsFiles: ProjectFiles['varsFiles'] = new Map();
  for (const path of varsFilePaths(notifications?.text)) {
    // The same rule as the working tree (src/core/load/projectPath.ts); the core reports the refusal with its position.
    const rule = checkProjectPath(path);
    if (!rule.ok) {
      varsFiles.set(path, { file: path, text: undefined, error: rule.message, hint: rule.hint });
      continue;
    }
    const inRepo = posix.join(repo.prefix, rule.path);
    const r = await git(repo.root, ['show', `${commit}:${inRepo}`]);
    varsFiles.set(path, r.code === 0 ? { file: path, text: r.stdout } : { file: path, text: undefined, error: `not in ${commit.slice(0, 7)}` });
  }
  return { notifications, templates, varsFiles };
}

async function showFile(root: string, commit: string, path: string): Promise<string> {
  return gitOk(root, ['show', `${commit}:${path}`]);
}
