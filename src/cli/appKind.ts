import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { ProjectConfig } from '../core/project.js';

/** What a command that needs nothing else of the project reads from notifications.yaml's `app` and `state`. */
export type AppSettings = Pick<ProjectConfig, 'appKind' | 'agentId' | 'stateBackend'>;

/**
 * `app.kind`, `app.agent_id` and `state.backend` from notifications.yaml, for commands that need nothing else of the
 * project (directory pull, media upload): an ISV app authenticates with its suite there too, and media upload counts
 * its call in the project's state. undefined: no notifications.yaml (a folder that is not a project yet). A YAML
 * mistake elsewhere in the file does not hide the keys.
 */
export async function readAppSettings(projectDir: string): Promise<AppSettings | undefined> {
  let text: string;
  try {
    text = await readFile(join(projectDir, 'notifications.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const doc = parseDocument(text);
    const agentId = doc.getIn(['app', 'agent_id']);
    return {
      appKind: doc.getIn(['app', 'kind']) === 'isv' ? 'isv' : 'internal',
      agentId: typeof agentId === 'number' || typeof agentId === 'string' ? agentId : undefined,
      stateBackend: doc.getIn(['state', 'backend']) === 'postgres' ? 'postgres' : 'file',
    };
  } catch {
    return { appKind: 'internal', agentId: undefined, stateBackend: 'file' };
  }
}

/** `app.kind` alone; no notifications.yaml means an internal app. */
export async function readAppKind(projectDir: string): Promise<ProjectConfig['appKind']> {
  return (await readAppSettings(projectDir))?.appKind ?? 'internal';
}
