import { deptIdOf } from '../core/deptId.js';
import { parseYamlValue } from '../core/load/yamlSource.js';
import { UserError } from '../errors.js';
import type { Endpoint, FaultSpec, SandboxApp, SandboxConfig, SandboxDirectory, SandboxTemplate, SandboxTunables } from './types.js';
import { ENDPOINTS } from './types.js';
import { deptId, fields, isObject, list, str } from './readValues.js';

export const DEFAULT_APP: SandboxApp = {
  appkey: 'sandbox-app-key',
  appsecret: 'sandbox-app-secret',
  agent_id: 100000001,
  kind: 'internal',
  name: 'dingcast sandbox',
};

/** A third-party (ISV) app next to the internal one, so `kind: isv` projects can be tried: get_corp_token with these. */
export const DEFAULT_ISV_APP: SandboxApp = {
  appkey: 'sandbox-suite-key',
  appsecret: 'sandbox-suite-secret',
  agent_id: 100000002,
  kind: 'isv',
  name: 'dingcast sandbox (ISV)',
  suite_ticket: 'sandbox-suite-ticket',
  corp_id: 'dingsandboxcorp',
};

/** A reviewed template for sendbytemplate, as an ISV's console would hold. */
export const DEFAULT_TEMPLATE: SandboxTemplate = {
  template_id: 'sandbox-template',
  name: 'dingcast sandbox template',
  text: '${title}\n\n${content}',
};

export const DEFAULT_TUNABLES: SandboxTunables = {
  tokenLifetimeSec: 7200,
  useridsPerCall: 100,
  deptIdsPerCall: 20,
  qpsPerApi: 20,
  dailyCapInternal: 500,
  dailyCapIsv: 100,
  recipientsPerMinute: 5000,
  toAllUserPerDay: 3,
  resultListsAs: 'array',
  resultMaxRecipients: 100,
  taskWindowHours: 24,
  statusBarWindowDays: 7,
  taskQueueMs: 200,
  taskBaseMs: 600,
  taskPerRecipientMs: 2,
  readAfterMs: null,
  timezone: 'Asia/Shanghai',
  acceptListArrays: false,
  failingUsers: [],
  monthlyCallQuota: 0,
};

/** A config as written: everything optional, merged over the defaults by `resolveConfig`. */
export interface SandboxConfigInput {
  apps?: SandboxApp[];
  templates?: SandboxTemplate[];
  /** Department ids as strings (exact) or, while exact, numbers. */
  directory?: DirectoryInput;
  tunables?: Partial<SandboxTunables>;
  faults?: FaultSpec[];
}

/** YAML key → tunable. The file uses DingTalk's snake_case, the code camelCase. */
const TUNABLE_KEYS: Record<string, keyof SandboxTunables> = {
  token_lifetime_s: 'tokenLifetimeSec',
  userids_per_call: 'useridsPerCall',
  dept_ids_per_call: 'deptIdsPerCall',
  qps_per_api: 'qpsPerApi',
  daily_cap_internal: 'dailyCapInternal',
  daily_cap_isv: 'dailyCapIsv',
  recipients_per_minute: 'recipientsPerMinute',
  to_all_user_per_day: 'toAllUserPerDay',
  result_lists_as: 'resultListsAs',
  result_max_recipients: 'resultMaxRecipients',
  task_window_hours: 'taskWindowHours',
  status_bar_window_days: 'statusBarWindowDays',
  task_queue_ms: 'taskQueueMs',
  task_base_ms: 'taskBaseMs',
  task_per_recipient_ms: 'taskPerRecipientMs',
  read_after_ms: 'readAfterMs',
  timezone: 'timezone',
  accept_list_arrays: 'acceptListArrays',
  failing_users: 'failingUsers',
  monthly_call_quota: 'monthlyCallQuota',
};

/** Parses a sandbox config file. Unknown keys and wrong types are errors, never ignored. */
export function loadSandboxConfig(yamlText: string, file = 'sandbox config'): SandboxConfigInput {
  // Strict like project files: a duplicate key or an alias bomb is a clear error, not a crash or a silent overwrite.
  const parsed = parseYamlValue(file, yamlText);
  if (!parsed.ok) {
    const d = parsed.diagnostics[0]!;
    throw new UserError(`${file}:${d.line}:${d.column}: ${d.message}`, d.hint);
  }
  const raw: unknown = parsed.value ?? {};
  if (!isObject(raw)) throw new UserError('sandbox config: the top level must be a mapping');
  const out: SandboxConfigInput = {};
  const tunables: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'apps') out.apps = list(value, key).map((a, i) => readApp(a, `apps[${i}]`));
    else if (key === 'templates') out.templates = list(value, key).map((t, i) => readTemplate(t, `templates[${i}]`));
    else if (key === 'users' || key === 'departments') continue;
    else if (key === 'faults') out.faults = list(value, key).map((f, i) => readFault(f, `faults[${i}]`));
    else if (key in TUNABLE_KEYS) tunables[TUNABLE_KEYS[key]!] = value === 'never' ? null : value;
    else throw new UserError(`sandbox config: unknown key "${key}"`, `known keys: apps, templates, users, departments, faults, ${Object.keys(TUNABLE_KEYS).join(', ')}`);
  }
  if ('users' in raw || 'departments' in raw) {
    out.directory = {
      users: list(raw.users ?? [], 'users').map((u, i) => readUser(u, `users[${i}]`)),
      departments: list(raw.departments ?? [], 'departments').map((d, i) => readDepartment(d, `departments[${i}]`)),
    };
  }
  out.tunables = checkTunables(tunables);
  return out;
}

type Id = string | number;
/** A directory given in code: department ids may be numbers where they are exact. */
export interface DirectoryInput {
  users: (Omit<SandboxUser, 'dept_ids'> & { dept_ids: Id[] })[];
  departments: (Omit<SandboxDepartment, 'id' | 'parent_id'> & { id: Id; parent_id?: Id })[];
}

function exactIds(d: DirectoryInput): SandboxDirectory {
  const id = (x: Id): string => deptIdOf(x) ?? String(x);
  return {
    users: d.users.map((u) => ({ ...u, dept_ids: u.dept_ids.map(id) })),
    departments: d.departments.map(({ parent_id, ...x }) => ({ ...x, id: id(x.id), ...(parent_id === undefined ? {} : { parent_id: id(parent_id) }) })),
  };
}

/** Merges config layers over the defaults; later layers win. */
export function resolveConfig(base: SandboxDirectory, ...layers: (SandboxConfigInput | undefined)[]): SandboxConfig {
  const config: SandboxConfig = { apps: [DEFAULT_APP, DEFAULT_ISV_APP], templates: [DEFAULT_TEMPLATE], directory: base, tunables: { ...DEFAULT_TUNABLES }, faults: [] };
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.apps && layer.apps.length > 0) config.apps = layer.apps;
    if (layer.templates) config.templates = layer.templates;
    if (layer.directory) config.directory = exactIds(layer.directory);
    if (layer.tunables) config.tunables = { ...config.tunables, ...checkTunables(layer.tunables) };
    if (layer.faults) config.faults = [...config.faults, ...layer.faults];
  }
  return config;
}

/** Tunables from the admin API: the config file's snake_case keys or the code's camelCase ones. */
export function readTunables(raw: Record<string, unknown>): Partial<SandboxTunables> {
  const t: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) t[TUNABLE_KEYS[key] ?? key] = value === 'never' ? null : value;
  return checkTunables(t);
}

export function checkTunables(t: Record<string, unknown>): Partial<SandboxTunables> {
  for (const [key, value] of Object.entries(t)) {
    if (value === undefined) continue;
    const want = DEFAULT_TUNABLES[key as keyof SandboxTunables];
    const ok =
      key === 'readAfterMs'
        ? value === null || (typeof value === 'number' && value >= 0)
        : key === 'resultListsAs'
          ? value === 'array' || value === 'string'
          : key === 'failingUsers'
            ? Array.isArray(value) && value.every((v) => typeof v === 'string')
            : typeof value === typeof want && (typeof value !== 'number' || (Number.isFinite(value) && value >= 0));
    if (!(key in DEFAULT_TUNABLES)) throw new UserError(`sandbox config: unknown tunable "${key}"`);
    if (!ok) throw new UserError(`sandbox config: bad value for ${key}: ${JSON.stringify(value)}`);
  }
  return t;
}

function readApp(v: unknown, where: string): SandboxApp {
  const o = fields(v, where, ['appkey', 'appsecret', 'agent_id', 'kind', 'name', 'suite_ticket', 'corp_id']);
  const kind = o.kind ?? 'internal';
  if (kind !== 'internal' && kind !== 'isv') throw new UserError(`sandbox config: ${where}.kind must be internal or isv`);
  if (kind !== 'isv' && (o.suite_ticket !== undefined || o.corp_id !== undefined)) {
    throw new UserError(`sandbox config: ${where}.suite_ticket and corp_id are for kind: isv apps`);
  }
  return {
    appkey: str(o.appkey, `${where}.appkey`),
    appsecret: str(o.appsecret, `${where}.appsecret`),
    agent_id: int(o.agent_id, `${where}.agent_id`),
    kind,
    name: o.name === undefined ? String(o.appkey) : str(o.name, `${where}.name`),
    ...(o.suite_ticket === undefined ? {} : { suite_ticket: str(o.suite_ticket, `${where}.suite_ticket`) }),
    ...(o.corp_id === undefined ? {} : { corp_id: str(o.corp_id, `${where}.corp_id`) }),
  };
}

function readTemplate(v: unknown, where: string): SandboxTemplate {
  const o = fields(v, where, ['template_id', 'name', 'text']);
  const id = str(o.template_id, `${where}.template_id`);
  return { template_id: id, name: o.name === undefined ? id : str(o.name, `${where}.name`), text: o.text === undefined ? '' : str(o.text, `${where}.text`) };
}

function readUser(v: unknown, where: string): SandboxUser {
  const o = fields(v, where, ['userid', 'name', 'dept_ids']);
  const userid = str(o.userid, `${where}.userid`);
  return {
    userid,
    name: o.name === undefined ? userid : str(o.name, `${where}.name`),
    dept_ids: list(o.dept_ids ?? [], `${where}.dept_ids`).map((d, i) => deptId(d, `${where}.dept_ids[${i}]`)),
  };
}

function readDepartment(v: unknown, where: string): SandboxDepartment {
  const o = fields(v, where, ['id', 'name', 'parent_id']);
  const id = deptId(o.id, `${where}.id`);
  const dept: SandboxDepartment = { id, name: o.name === undefined ? `Dept ${id}` : str(o.name, `${where}.name`) };
  if (o.parent_id !== undefined && o.parent_id !== null) dept.parent_id = deptId(o.parent_id, `${where}.parent_id`);
  return dept;
}

export function readFault(v: unknown, where: string): FaultSpec {
  const o = fields(v, where, ['kind', 'ms', 'status', 'count', 'endpoint', 'errcode', 'errmsg', 'style', 'userid', 'outcome', 'code', 'name', 'phase']);
  if (o.endpoint !== undefined && !ENDPOINTS.includes(o.endpoint as never))
    throw new UserError(`${where}.endpoint must be one of ${ENDPOINTS.join(', ')}`);
  const endpoint = o.endpoint as Endpoint | undefined;
  const count = o.count === undefined ? undefined : int(o.count, `${where}.count`);
  const scoped = endpoint ? { endpoint } : {};
  switch (o.kind) {
    case 'latency':
      return { kind: 'latency', ms: int(o.ms, `${where}.ms`), ...scoped, ...(count === undefined ? {} : { count }) };
    case 'http':
      return { kind: 'http', status: int(o.status ?? 503, `${where}.status`), count: count ?? 1, ...scoped };
    case 'drop':
    case 'drop-answer':
      return { kind: o.kind, count: count ?? 1, ...scoped };
    case 'errcode':
      return {
        kind: 'errcode',
        errcode: signedInt(o.errcode, `${where}.errcode`),
        ...(o.errmsg === undefined ? {} : { errmsg: str(o.errmsg, `${where}.errmsg`) }),
        count: count ?? 1,
        ...scoped,
      };
    case 'ip-ban': {
      const style = o.style ?? 'json';
      if (style !== 'json' && style !== 'html') throw new UserError(`${where}.style must be json or html`);
      return { kind: 'ip-ban', style, count: count ?? 1, ...scoped };
    }
    case 'user': {
      if (endpoint) throw new UserError(`${where}: a user fault applies to deliveries, not to an endpoint`);
      const outcome = o.outcome ?? 'failed';
      if (outcome !== 'failed' && outcome !== 'forbidden') throw new UserError(`${where}.outcome must be failed or forbidden`);
      const code = o.code === undefined ? {} : { code: String(int(o.code, `${where}.code`)) };
      return { kind: 'user', userid: str(o.userid, `${where}.userid`), outcome, ...code, count: count ?? 1 };
    }
    case 'hold': {
      const phase = o.phase ?? 'before';
      if (phase !== 'before' && phase !== 'after') throw new UserError(`${where}.phase must be before or after`);
      return { kind: 'hold', name: str(o.name, `${where}.name`), phase, count: count ?? 1, ...scoped };
    }
    default:
      throw new UserError(`${where}.kind must be latency, http, drop, drop-answer, errcode, ip-ban, user or hold`);
  }
}

type SandboxUser = SandboxDirectory['users'][number];
type SandboxDepartment = SandboxDirectory['departments'][number];

/** errcodes may be negative: -1 is "system busy". */
function signedInt(v: unknown, where: string): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new UserError(`${where} must be an integer`);
  return n;
}
function int(v: unknown, where: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new UserError(`${where} must be a non-negative integer`);
  return n;
}
