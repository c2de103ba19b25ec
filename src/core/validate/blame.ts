import { isMap, isScalar } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { checkProjectPath } from '../load/projectPath.js';
import { templateIdOf } from '../load/loadProject.js';
import type { YamlSource } from '../load/yamlSource.js';
import type { Project, ProjectFiles } from '../project.js';

/**
 * Which notifications each error stops (issue 16 item 3): one broken notification must not hold back the others'
 * sends. An error belongs to a notification when it sits in its block of notifications.yaml, in the template it
 * uses, or in a file its block names (vars_file, users_file, a media file); anything else (app, timezone, groups,
 * a file nobody names) belongs to the whole project and every send waits for it.
 */
export interface Blame {
  /** Errors no single notification owns: nothing is sent while one is left. */
  project: Diagnostic[];
  /** Each broken notification's errors, by id, in the order of notifications.yaml. */
  notifications: Map<string, Diagnostic[]>;
  /** Errors in template files no notification uses: `validate` reports them, they stop no send. */
  unused: Diagnostic[];
}

/** What a notification's block says, read from the YAML as written (the block may have failed its schema). */
export interface RawNotification {
  id: string;
  templateId: string | undefined;
  /** `remind.template`'s id: an error in the reminder's template stops the notification too. */
  remindTemplateId?: string;
  enabled: boolean;
  scheduled: boolean;
  /** Lines of notifications.yaml its block covers (key to last value line). */
  lines: [number, number];
  /** Offsets of the block in the file's text, key to the end of its value. */
  range: [number, number];
  /** Every string in the block that names a project file (normalized), e.g. its vars_file. */
  files: Set<string>;
}

export function blame(project: Project, errors: readonly Diagnostic[]): Blame {
  const source = notificationsSourceOf(project);
  const raw = source ? rawNotifications(source) : [];
  const result: Blame = { project: [], notifications: new Map(), unused: [] };
  const add = (ids: string[], d: Diagnostic): void => {
    for (const id of ids) result.notifications.set(id, [...(result.notifications.get(id) ?? []), d]);
  };
  for (const d of errors) {
    const owners = ownersOf(d, raw, project);
    if (owners === 'unused') result.unused.push(d);
    else if (owners.length === 0) result.project.push(d);
    else add(owners, d);
  }
  // Keep the file's order, so the report reads top to bottom.
  const order = raw.map((n) => n.id).filter((id) => result.notifications.has(id));
  result.notifications = new Map(order.map((id) => [id, result.notifications.get(id)!]));
  return result;
}

/** The ids that own `d`, `[]` for the whole project, or 'unused' for a template no notification uses. */
function ownersOf(d: Diagnostic, raw: RawNotification[], project: Project): string[] | 'unused' {
  if (d.line <= 0) return [];
  if (d.file === 'notifications.yaml') {
    const n = raw.find((r) => d.line >= r.lines[0] && d.line <= r.lines[1]);
    return n ? [n.id] : [];
  }
  if (d.file.startsWith('templates/')) {
    const id = templateIdOf(d.file);
    // Two files for one id (x.yaml and x.yml) is the project's problem: which one a send would use is unclear.
    if (d.code === 'template/duplicate-id') return [];
    const users = raw.filter((n) => n.templateId === id || n.remindTemplateId === id).map((n) => n.id);
    return users.length > 0 ? users : 'unused';
  }
  const naming = raw.filter((n) => n.files.has(d.file)).map((n) => n.id);
  if (naming.length > 0) return naming;
  // A media file named by a template belongs to the notifications using that template.
  const templates = [...project.templates.values()].filter((t) => stringsOf(t.source.value).some((s) => normalized(s) === d.file)).map((t) => t.id);
  return raw.filter((n) => n.templateId !== undefined && templates.includes(n.templateId)).map((n) => n.id);
}

function notificationsSourceOf(project: Project): YamlSource | undefined {
  return project.notificationsSource ?? project.sources.find((s) => s.file === 'notifications.yaml');
}

/** The notifications as written, with where each block is; [] when the file holds no `notifications:` mapping. */
export function rawNotifications(source: YamlSource): RawNotification[] {
  const root = source.doc.contents;
  if (!isMap(root)) return [];
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'notifications');
  if (!pair || !isMap(pair.value)) return [];
  const values = ((source.value as { notifications?: unknown } | undefined)?.notifications ?? {}) as Record<string, unknown>;
  const list: RawNotification[] = [];
  for (const item of pair.value.items) {
    if (!isScalar(item.key)) continue;
    const start = item.key.range?.[0];
    const end = (item.value as { range?: [number, number, number] } | null)?.range?.[1] ?? item.key.range?.[1];
    if (start === undefined || end === undefined) continue;
    const value = values[String(item.key.value)];
    const block = (value !== null && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    const template = typeof block.template === 'string' ? block.template.replace(/@[^@]*$/, '') : undefined;
    const remind = (block.remind ?? {}) as { template?: unknown };
    list.push({
      id: String(item.key.value),
      templateId: template,
      ...(typeof remind.template === 'string' ? { remindTemplateId: remind.template.replace(/@[^@]*$/, '') } : {}),
      enabled: block.enabled !== false,
      scheduled: block.schedule !== undefined,
      lines: [source.lineCounter.linePos(start).line, source.lineCounter.linePos(Math.max(start, end - 1)).line],
      range: [start, end],
      files: new Set(stringsOf(block).map(normalized).filter((s): s is string => s !== undefined)),
    });
  }
  return list;
}

function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

function normalized(s: string): string | undefined {
  if (!s.includes('.') && !s.includes('/')) return undefined;
  const p = checkProjectPath(s);
  return p.ok ? p.path : undefined;
}

/**
 * The project's files without the given notifications' blocks: each block is blanked out (spaces, newlines kept),
 * so every other line keeps its number and the rest can be loaded and checked on its own.
 */
export function filesWithout(files: ProjectFiles, source: YamlSource, ids: ReadonlySet<string>): ProjectFiles {
  if (!files.notifications) return files;
  let text = source.text;
  for (const n of rawNotifications(source)) {
    if (!ids.has(n.id)) continue;
    const [a, b] = n.range;
    text = text.slice(0, a) + text.slice(a, b).replace(/[^\n]/g, ' ') + text.slice(b);
  }
  return { ...files, notifications: { ...files.notifications, text } };
}
