import { agentIdProblem } from '../agentId.js';
import { newCompileMemo } from '../compileMemo.js';
import type { Diagnostic } from '../diagnostics.js';
import {
  DEFAULT_LIMITS,
  DEFAULT_TIMEZONE,
  type FileText,
  type NotificationDef,
  type Project,
  type ProjectConfig,
  type ProjectFiles,
  type ReminderDef,
  type TemplateDef,
  type Vars,
} from '../project.js';
import { TEMPLATE_SEND } from '../msg/templateSend.js';
import { declaredTypes, readEachFile, type EachSource } from '../recipients/each.js';
import { expandUsers } from '../recipients/expand.js';
import { describeSchemaErrors, locate } from '../schemaErrors.js';
import { schemaValidator, type SchemaName } from '../schemas.js';
import { parseDuration } from '../duration.js';
import { parseDataValue } from './jsonValue.js';
import { checkProjectPath } from './projectPath.js';
import { numberSourceAt, parseYamlSource, positionOf, scalarSourceAt, type YamlSource } from './yamlSource.js';

/** Parse and schema-check every file; build the project model from the files that passed. */
export function loadProject(files: ProjectFiles): Project {
  const diagnostics: Diagnostic[] = [];
  const sources: YamlSource[] = [];
  const templates = new Map<string, TemplateDef>();
  const brokenTemplates = new Set<string>();
  const memo = newCompileMemo();
  for (const p of files.problems ?? []) {
    diagnostics.push(p);
    if (p.file.startsWith('templates/')) brokenTemplates.add(templateIdOf(p.file));
  }
  diagnostics.push(...duplicateTemplateIds(files.templates.map((f) => f.file)));
  for (const f of files.templates) {
    const source = parseChecked(f, 'template', diagnostics, sources);
    const id = templateIdOf(f.file);
    if (!source) {
      brokenTemplates.add(id);
      continue;
    }
    const v = source.value as Record<string, unknown>;
    if (v.msg !== undefined && v.sendbytemplate !== undefined) {
      diagnostics.push(...locate(source, [{ path: ['sendbytemplate'], at: 'key', code: 'template/msg-and-sendbytemplate', message: 'a template has either `msg` (sent with asyncsend_v2) or `sendbytemplate` (a template reviewed in DingTalk\'s console, ISV apps), not both', hint: 'Keep one of them; make the other a template file of its own.' }]));
      brokenTemplates.add(id);
      continue;
    }
    const kind = v.sendbytemplate !== undefined ? 'sendbytemplate' : 'msg';
    templates.set(id, {
      id,
      source,
      version: v.version as number,
      description: (v.description as string | undefined) ?? '',
      variables: (v.variables as Record<string, unknown> | undefined) ?? { type: 'object' },
      examples: (v.examples as Record<string, Vars> | undefined) ?? {},
      kind,
      msg: kind === 'msg' ? (v.msg as Record<string, unknown>) : { msgtype: TEMPLATE_SEND, sendbytemplate: v.sendbytemplate },
      memo,
    });
  }

  let notificationsSource: YamlSource | undefined;
  let config: ProjectConfig = { agentId: undefined, appKind: 'internal', timezone: DEFAULT_TIMEZONE, limits: { ...DEFAULT_LIMITS }, stateBackend: 'file' };
  const notifications: NotificationDef[] = [];
  if (!files.notifications && (files.problems ?? []).some((p) => p.file === 'notifications.yaml')) {
    // It exists but could not be read; that problem is already reported.
  } else if (!files.notifications) {
    diagnostics.push({
      severity: 'error',
      code: 'project/no-notifications',
      file: 'notifications.yaml',
      line: 0,
      column: 0,
      message: 'notifications.yaml not found',
      hint: 'Run dingcast in a project folder (or pass --project DIR); `dingcast init` scaffolds one.',
    });
  } else {
    notificationsSource = parseChecked(files.notifications, 'notifications', diagnostics, sources);
    if (notificationsSource) {
      const v = notificationsSource.value as Record<string, unknown>;
      config = readConfig(v);
      diagnostics.push(...checkAgentId(notificationsSource));
      for (const [id, raw] of Object.entries((v.notifications as Record<string, Record<string, unknown>> | undefined) ?? {})) {
        notifications.push(readNotification(id, raw, files, notificationsSource, diagnostics, (v.groups as Record<string, unknown[]> | undefined) ?? {}, templates));
      }
    }
  }
  return { notificationsSource, config, notifications, templates, brokenTemplates, sources, diagnostics };
}

export function templateIdOf(file: string): string {
  return (file.split('/').pop() ?? file).replace(/\.ya?ml$/, '');
}

/**
 * `templates/x.yml` beside `templates/x.yaml` would silently shadow one of them; both extensions are accepted,
 * but one id has one file.
 */
function duplicateTemplateIds(files: string[]): Diagnostic[] {
  const byId = new Map<string, string[]>();
  for (const f of files) byId.set(templateIdOf(f), [...(byId.get(templateIdOf(f)) ?? []), f]);
  const out: Diagnostic[] = [];
  for (const [id, list] of byId) {
    if (list.length < 2) continue;
    for (const f of list.slice(1)) {
      out.push({ severity: 'error', code: 'template/duplicate-id', file: f, line: 1, column: 1, message: `template \`${id}\` is defined twice: ${list.join(' and ')}`, hint: `Keep one file per template id: delete or rename ${f}.` });
    }
  }
  return out;
}

function parseChecked(f: FileText, schema: SchemaName, diagnostics: Diagnostic[], sources: YamlSource[]): YamlSource | undefined {
  const { source, diagnostics: yamlProblems } = f.parsed?.text === f.text ? f.parsed.result : parseYamlSource(f.file, f.text);
  diagnostics.push(...yamlProblems);
  if (yamlProblems.some((d) => d.severity === 'error')) return undefined;
  // Kept even when the schema check fails, so checks over every value (secrets) still see the file.
  sources.push(source);
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    diagnostics.push({ severity: 'error', code: 'yaml/not-a-mapping', file: f.file, line: 1, column: 1, message: 'the file must hold a YAML mapping (key: value pairs)', hint: 'Start from `dingcast init` or an example in templates/.' });
    return undefined;
  }
  if (schema === 'notifications') exactDepartmentIds(source);
  const validate = schemaValidator(schema);
  if (!validate(source.value)) {
    const problems = describeSchemaErrors(validate.errors ?? [], 'the document', schema).map((p) =>
      // A template without `msg` may be meant as an ISV app's DingTalk template: name both ways.
      schema === 'template' && p.code === 'schema/missing-key' && p.path.length === 0 && p.message.endsWith('`msg`')
        ? { ...p, hint: 'Add `msg:` here (a DingTalk msg), or `sendbytemplate: { template_id, data }` for an ISV app\'s template reviewed in DingTalk\'s console.' }
        : p,
    );
    diagnostics.push(...locate(source, problems));
    return undefined;
  }
  return source;
}

/**
 * Department ids beyond 2^53 as the digits written, before the schema sees them: as doubles, two different ids can
 * look equal (`uniqueItems`) or name another department. The schema takes them as digit strings.
 */
function exactDepartmentIds(source: YamlSource): void {
  const v = source.value as { notifications?: Record<string, { to?: { departments?: unknown } } | null> };
  for (const [id, n] of Object.entries(v.notifications ?? {})) {
    const list = n?.to?.departments;
    if (!Array.isArray(list)) continue;
    for (const [i, d] of list.entries()) {
      if (typeof d !== 'number' || Number.isSafeInteger(d)) continue;
      const written = numberSourceAt(source, ['notifications', id, 'to', 'departments', i], d);
      if (written !== undefined && /^[0-9]+$/.test(written)) list[i] = written;
    }
  }
}

/**
 * A number written as app.agent_id must be one send can use (core/agentId.ts, the rule send applies too); a
 * `${VAR}` reference is checked by send once the variable is read, with the same rule.
 */
function checkAgentId(source: YamlSource): Diagnostic[] {
  const value = (source.value as { app?: { agent_id?: unknown } }).app?.agent_id;
  if (typeof value !== 'number') return [];
  const problem = agentIdProblem(value);
  if (problem === undefined) return [];
  const written = scalarSourceAt(source, ['app', 'agent_id']) ?? String(value);
  const at = positionOf(source, ['app', 'agent_id']);
  return [{ severity: 'error', code: 'app/agent-id', file: source.file, line: at.line, column: at.column, message: `app.agent_id ${written} ${problem}`, hint: "Copy the app's AgentId from DingTalk's developer console (应用信息 → AgentId), or write ${DINGTALK_AGENT_ID} to read it from the environment." }];
}

function readConfig(v: Record<string, unknown>): ProjectConfig {
  const app = (v.app as Record<string, unknown> | undefined) ?? {};
  const limits = (v.limits as Record<string, number> | undefined) ?? {};
  return {
    agentId: app.agent_id as number | string | undefined,
    appKind: app.kind === 'isv' ? 'isv' : 'internal',
    timezone: (v.timezone as string | undefined) ?? DEFAULT_TIMEZONE,
    limits: {
      useridsPerCall: limits.userids_per_call ?? DEFAULT_LIMITS.useridsPerCall,
      deptIdsPerCall: limits.dept_ids_per_call ?? DEFAULT_LIMITS.deptIdsPerCall,
    },
    stateBackend: (v.state as { backend?: string } | undefined)?.backend === 'postgres' ? 'postgres' : 'file',
    ...(typeof app.monthly_call_quota === 'number' ? { monthlyCallQuota: app.monthly_call_quota } : {}),
  };
}

/**
 * Department ids as the exact strings written: DingTalk's ids can exceed 2^53, where a JavaScript number would
 * silently name another department (12345678901234567890 → 12345678901234567000).
 */
function departmentIds(id: string, raw: unknown, source: YamlSource): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((d: unknown, i) => {
    if (typeof d !== 'number') return String(d);
    // From a cached file's `numbers` when it has them: asking its document would parse the file after all.
    const written = numberSourceAt(source, ['notifications', id, 'to', 'departments', i], d);
    return written !== undefined && /^[0-9]+$/.test(written) ? written : String(d);
  });
}

function readNotification(id: string, raw: Record<string, unknown>, files: ProjectFiles, source: YamlSource, diagnostics: Diagnostic[], groups: Record<string, unknown[]>, templates: Map<string, TemplateDef>): NotificationDef {
  const ref = String(raw.template);
  const at = ref.lastIndexOf('@');
  const to = (raw.to as Record<string, unknown> | undefined) ?? {};
  const varsFile = raw.vars_file as string | undefined;
  let fileVars: Vars = {};
  if (varsFile !== undefined) fileVars = readVarsFile(id, varsFile, files, source, diagnostics);
  const templateId = at >= 0 ? ref.slice(0, at) : ref;
  const each = raw.each !== undefined ? readEach(id, raw, files, source, diagnostics, templates.get(templateId)) : undefined;
  const users = expandUsers(id, to, groups, files, source, diagnostics);
  return {
    id,
    templateRef: ref,
    templateId,
    pin: at >= 0 ? Number(ref.slice(at + 1)) : undefined,
    to: {
      users: each ? each.rows.map((r) => r.userid) : users.users,
      departments: departmentIds(id, to.departments, source),
      all: to.all === true,
    },
    ...(users.groups.length > 0 ? { groups: users.groups } : {}),
    // A per-person file's userids are checked against the directory where they are written, like a users_file's.
    ...(users.userFile ? { userFile: users.userFile } : each ? { userFile: { file: each.file, userids: each.rows.map((r) => r.userid), lines: each.rows.map((r) => (r.line > 0 ? r.line : r.index)) } } : {}),
    ...(each ? { each } : {}),
    // vars_file is merged under `vars`: values written inline win.
    vars: { ...fileVars, ...((raw.vars as Vars | undefined) ?? {}) },
    varsFile,
    schedule: raw.schedule as string | undefined,
    timezone: raw.timezone as string | undefined,
    calendar: raw.calendar as string | undefined,
    enabled: raw.enabled !== false,
    description: raw.description as string | undefined,
    ...(raw.remind !== undefined ? { remind: readRemind(raw.remind as { after: string; template: string }) } : {}),
  };
}

/** `remind: { after: 4h, template: ID@N }` (the schema checked its shape; validate checks the duration and the template). */
function readRemind(raw: { after: string; template: string }): ReminderDef {
  const ref = String(raw.template);
  const at = ref.lastIndexOf('@');
  return { after: String(raw.after), afterMs: parseDuration(String(raw.after)), templateRef: ref, templateId: at >= 0 ? ref.slice(0, at) : ref, pin: at >= 0 ? Number(ref.slice(at + 1)) : undefined };
}

/** `each: { file, key }` in place of `to`: the rows, typed as the template declares its variables. */
function readEach(id: string, raw: Record<string, unknown>, files: ProjectFiles, source: YamlSource, diagnostics: Diagnostic[], template: TemplateDef | undefined): EachSource | undefined {
  const problem = (path: string[], code: string, message: string, hint: string) => diagnostics.push(...locate(source, [{ path: ['notifications', id, ...path], code, message, hint }]));
  if (raw.to !== undefined) {
    problem(['each'], 'each/with-to', `notification \`${id}\` has both \`to\` and \`each\``, '`each:` sends one message per row to the userid in its key column, in place of `to`: remove one of them.');
    return undefined;
  }
  const each = raw.each as { file: string; key?: string };
  return readEachFile(each, files, declaredTypes(template?.variables), (d) => diagnostics.push(d), (code, message, hint) => problem(['each', 'file'], code, message, hint));
}

function readVarsFile(id: string, path: string, files: ProjectFiles, source: YamlSource, diagnostics: Diagnostic[]): Vars {
  const entry = files.varsFiles.get(path);
  const problem = (message: string, hint: string) =>
    diagnostics.push(...locate(source, [{ path: ['notifications', id, 'vars_file'], code: 'vars-file/unreadable', message, hint }]));
  const rule = checkProjectPath(path);
  if (!rule.ok) {
    diagnostics.push(...locate(source, [{ path: ['notifications', id, 'vars_file'], code: 'path/outside-project', message: `vars_file: ${rule.message}`, hint: rule.hint }]));
    return {};
  }
  if (!entry || entry.text === undefined) {
    problem(`vars_file \`${path}\` cannot be read${entry?.error ? `: ${entry.error}` : ''}`, entry?.hint ?? 'The path is relative to the project folder; check that the file exists.');
    return {};
  }
  const parsed = parseDataValue(rule.path, entry.text);
  if (!parsed.ok) {
    // The vars file's own problems, at their position in that file.
    diagnostics.push(...parsed.diagnostics);
    problem(`vars_file \`${path}\` is not valid JSON/YAML (see ${rule.path})`, 'Fix the syntax of that file.');
    return {};
  }
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problem(`vars_file \`${path}\` must hold a JSON/YAML object`, 'Write the variables as `{ "name": value, ... }`.');
    return {};
  }
  return value as Vars;
}
