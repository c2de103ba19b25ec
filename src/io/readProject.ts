import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { notificationEntriesOf, varsFilePathsOf } from '../core/load/varsFilePaths.js';
import { parseYamlSource } from '../core/load/yamlSource.js';
import { dataFilePathsOf } from '../core/recipients/dataFilePaths.js';
import type { FileText, Project, ProjectFiles } from '../core/project.js';
import type { CalendarSet } from '../core/schedule/index.js';
import type { LedgerRecord } from '../core/send/records.js';
import { UserError } from '../errors.js';
import { collectMediaRefs } from '../core/media/collect.js';
import { loadCalendars } from './calendars.js';
import { readMediaFiles } from './media/readMediaFiles.js';
import { loadProject } from '../core/load/loadProject.js';
import { dayIn } from '../core/send/day.js';
import type { StateStore } from './state/index.js';
import { resolveInsideProject } from './projectPath.js';
import type { Directory } from '../core/recipients/directory.js';
import { readDirectoryFile } from './directory.js';
import { describeReadError, readTextFile } from './readText.js';
import { openYamlCache, type YamlCache } from './yamlCache.js';

/** Read a project folder's files; the pure core gets text, never paths to open. */
export async function readProjectFiles(dir: string, yamlCache?: YamlCache): Promise<ProjectFiles> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new UserError(`project folder not found: ${dir}`, 'Pass an existing folder with --project DIR, or run dingcast inside one.');
  const problems: Diagnostic[] = [];
  const notifications = readProjectFile(root, 'notifications.yaml', problems);
  const names = await readdir(join(root, 'templates')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') problems.push(fileProblem('templates', describeReadError(e)));
    return [] as string[];
  });
  const templates: FileText[] = [];
  for (const n of names.filter((x) => /\.ya?ml$/.test(x)).sort()) {
    const f = readProjectFile(root, `templates/${n}`, problems);
    if (f) templates.push(f);
  }
  // notifications.yaml is parsed once, here, for the files it names; the loader reuses the parse (a parse of
  // 1,000 notifications is most of a second). With the YAML cache (dry runs), the templates are parsed here too.
  if (notifications) notifications.parsed = { text: notifications.text, result: yamlCache ? yamlCache.parse(notifications.file, notifications.text) : parseYamlSource(notifications.file, notifications.text) };
  if (yamlCache) for (const t of templates) t.parsed = { text: t.text, result: yamlCache.parse(t.file, t.text) };
  const entries = notifications?.parsed ? notificationEntriesOf(notifications.parsed.result) : [];
  const varsFiles: ProjectFiles['varsFiles'] = new Map();
  for (const path of varsFilePathsOf(entries)) {
    const where = resolveInsideProject(root, path);
    // A path the rule refuses is never opened; the core reports it at its line in notifications.yaml.
    if (!where.ok) {
      varsFiles.set(path, { file: path, text: undefined, error: where.message, hint: where.hint });
      continue;
    }
    const r = readTextFile(where.abs);
    varsFiles.set(path, r.ok ? { file: path, text: r.text } : { file: path, text: undefined, error: r.line > 0 ? `line ${r.line}, column ${r.column}: ${r.message}` : r.message, hint: r.hint });
  }
  const dataFiles: NonNullable<ProjectFiles['dataFiles']> = new Map();
  for (const path of dataFilePathsOf(entries)) {
    const where = resolveInsideProject(root, path);
    if (!where.ok) {
      dataFiles.set(path, { file: path, bytes: undefined, error: where.message });
      continue;
    }
    // Bytes, not text: a CSV saved by Excel may be GBK, which the core detects and converts.
    try {
      dataFiles.set(path, { file: path, bytes: readFileSync(where.abs) });
    } catch (e) {
      dataFiles.set(path, { file: path, bytes: undefined, error: describeReadError(e as NodeJS.ErrnoException).message });
    }
  }
  return { notifications, templates, varsFiles, problems, dataFiles };
}

/** One file of the project (`rel` uses forward slashes); undefined when it is missing or cannot be read (then `problems` says why). */
function readProjectFile(root: string, rel: string, problems: Diagnostic[]): FileText | undefined {
  const where = resolveInsideProject(root, rel);
  if (!where.ok) {
    problems.push({ ...fileProblem(rel, where), code: 'path/outside-project' });
    return undefined;
  }
  const r = readTextFile(where.abs);
  if (r.ok) return { file: rel, text: r.text };
  if (!r.missing) problems.push({ ...fileProblem(rel, r), code: r.line > 0 ? 'file/encoding' : 'file/unreadable', line: r.line, column: r.column });
  return undefined;
}

function fileProblem(file: string, why: { message: string; hint: string }): Diagnostic {
  return { severity: 'error', code: 'file/unreadable', file, line: 0, column: 0, message: `${file} cannot be read: ${why.message}`, hint: why.hint };
}

/** What a run reads from the project folder, read once: its files, the project loaded from them, the calendars. */
export interface ProjectSide {
  dir: string;
  files: ProjectFiles;
  /** Undefined when there is no notifications.yaml. */
  project: Project | undefined;
  calendars: CalendarSet;
  calendarProblems: string[];
  /** The calendar files read (validate's cache lists them as inputs). */
  calendarFiles: string[];
  /** The pulled organisation (`.dingcast/directory.json`); undefined when `directory pull` never ran. */
  directory: Directory | undefined;
  /** mobile → userid for `mobile:` recipients: the pull's, plus getbymobile's answers kept in the same file. */
  mobiles: Record<string, string>;
}

/** Everything one run reads: the project side, plus the ledger of where it sends. */
export interface Workspace extends ProjectSide {
  /** Where messages go (picks the ledger): `sandbox`, a base URL, or DingTalk. */
  target: string;
  records: LedgerRecord[];
  /** sha256 of the ledger as read, for saved-plan fingerprints. */
  ledgerSha256: string;
  /** Damage in the state that was repaired or skipped safely, to show the user. */
  ledgerWarnings: string[];
}

/**
 * Read the project and the calendars (before the state is opened: the project's app id scopes a shared state).
 * `yamlCache`: take unchanged YAML files' values from .dingcast/cache/yaml.json (io/yamlCache.ts); dry runs only.
 */
export async function readProjectSide(dir: string, now: Date, opts: { yamlCache?: boolean } = {}): Promise<ProjectSide> {
  const cache = opts.yamlCache ? openYamlCache(dir) : undefined;
  const [files, cal, { directory, mobiles }] = await Promise.all([readProjectFiles(dir, cache), loadCalendars(dir), readDirectoryFile(dir)]);
  if (cache) await cache.save();
  const project = files.notifications || files.problems?.some((p) => p.file === 'notifications.yaml') ? loadProject(files) : undefined;
  // Local media (`media_id: ./assets/x.png`) may come from variables: render once to learn which files to read.
  const refs = project ? collectMediaRefs(project, now) : new Set<string>();
  if (project && refs.size > 0) project.media = await readMediaFiles(dir, refs);
  return { dir, files, project, calendars: cal.calendars, calendarProblems: cal.problems, calendarFiles: cal.read, directory, mobiles };
}

/**
 * Add the ledger for the day `now` falls on in the project's time zone (the store adds every fired slot), so a
 * year of history does not slow a run. Read under the lock: a run that waited sees what the other left behind.
 */
export async function readWorkspace(side: ProjectSide, target: string, state: Pick<StateStore, 'read'>, now: Date): Promise<Workspace> {
  const ledger = await state.read(side.project ? { day: dayIn(now, side.project.config.timezone) } : {});
  return { ...side, target, records: ledger.records, ledgerSha256: ledger.sha256, ledgerWarnings: ledger.warnings };
}

/** The project's files, the target and the ledger: a saved plan is applied only while none of them changed. */
export function workspaceFingerprint(ws: Workspace): string {
  const h = createHash('sha256');
  for (const f of [ws.files.notifications, ...ws.files.templates]) if (f) h.update(`${f.file}\0${f.text}\0`);
  for (const [path, v] of ws.files.varsFiles) h.update(`${path}\0${v.text ?? ''}\0`);
  for (const [path, v] of ws.files.dataFiles ?? []) h.update(`${path}\0`).update(v.bytes ?? new Uint8Array()).update('\0');
  for (const [ref, m] of ws.project?.media ?? []) h.update(`${ref}\0${m.ok ? m.sha256 : m.reason}\0`);
  // The directory checks ids and the mobiles map resolves `mobile:`: a re-pull may change who a saved plan reaches.
  if (ws.directory) h.update(JSON.stringify([ws.directory.users, ws.directory.departments]));
  if (Object.keys(ws.mobiles).length > 0) h.update(JSON.stringify(ws.mobiles));
  return h.update(ws.target).update(ws.ledgerSha256).digest('hex');
}
