import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { ProjectConfig } from '../core/project.js';

/**
 * `app.kind` from notifications.yaml, for commands that need nothing else of the project (directory pull, media
 * upload): an ISV app authenticates with its suite there too. No notifications.yaml (a folder that is not a
 * project yet) means an internal app; a YAML mistake elsewhere in the file does not hide the key.
 */
export async function readAppKind(projectDir: string): Promise<ProjectConfig['appKind']> {
  let text: string;
  try {
    text = await readFile(join(projectDir, 'notifications.yaml'), 'utf8');
  } catch {
    return 'internal';
  }
  try {
    return parseDocument(text).getIn(['app', 'kind']) === 'isv' ? 'isv' : 'internal';
  } catch {
    return 'internal';
  }
}
