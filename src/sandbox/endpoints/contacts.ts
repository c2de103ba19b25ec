import { deptIdOf } from '../../core/deptId.js';
import { JsonLong } from '../../exactJson.js';
import type { Emulator } from '../context.js';
import type { Answer, SandboxDepartment, SandboxDirectory, SandboxUser } from '../types.js';

/**
 * The contacts APIs (通讯录) that `dingcast directory pull` and `mobile:` recipients use, answered from the
 * sandbox's directory. DingTalk does not meter them against the monthly quota.
 */
export const CONTACTS_PATHS = {
  '/topapi/v2/department/listsub': listSubDepartments,
  '/topapi/v2/department/listsubid': listSubDepartmentIds,
  '/topapi/v2/department/get': getDepartment,
  '/topapi/user/listid': listUserIds,
  '/topapi/v2/user/list': listUsers,
  '/topapi/v2/user/getbymobile': getUserByMobile,
  '/topapi/v2/user/get': getUser,
} as const satisfies Record<string, (emu: Emulator, params: Record<string, unknown>) => Answer>;

export type ContactsPath = keyof typeof CONTACTS_PATHS;

export function isContactsPath(path: string): path is ContactsPath {
  return Object.hasOwn(CONTACTS_PATHS, path);
}

/** DingTalk's page size cap for topapi/v2/user/list. */
export const MAX_PAGE_SIZE = 100;

const NO_DEPT: Answer = { errcode: 60003, errmsg: '部门不存在' };
const NO_USER: Answer = { errcode: 60121, errmsg: '找不到该用户' };

interface Lookup {
  depts: Map<string, SandboxDepartment>;
  children: Map<string, SandboxDepartment[]>;
  members: Map<string, SandboxUser[]>;
  byMobile: Map<string, SandboxUser>;
  byId: Map<string, SandboxUser>;
}

const lookups = new WeakMap<SandboxDirectory, Lookup>();

function lookup(emu: Emulator): Lookup {
  const dir = emu.directory.directory;
  let l = lookups.get(dir);
  if (l) return l;
  l = { depts: new Map(), children: new Map(), members: new Map(), byMobile: new Map(), byId: new Map() };
  for (const d of dir.departments) {
    l.depts.set(d.id, d);
    if (d.parent_id !== undefined) l.children.set(d.parent_id, [...(l.children.get(d.parent_id) ?? []), d]);
  }
  for (const u of dir.users) {
    l.byId.set(u.userid, u);
    if (u.mobile) l.byMobile.set(u.mobile, u);
    for (const d of u.dept_ids) l.members.set(d, [...(l.members.get(d) ?? []), u]);
  }
  lookups.set(dir, l);
  return l;
}

/** `dept_id` as DingTalk takes it: a number or a numeric string; absent means the root (1). */
function deptParam(params: Record<string, unknown>): string | null {
  return deptIdOf(params.dept_id ?? 1) ?? null;
}

/** Department ids answer as JSON numbers (DingTalk's Long), every digit kept. */
const long = (id: string): JsonLong => new JsonLong(id);

function listSubDepartments(emu: Emulator, params: Record<string, unknown>): Answer {
  const id = deptParam(params);
  const l = lookup(emu);
  if (id === null || !l.depts.has(id)) return NO_DEPT;
  const result = (l.children.get(id) ?? []).map((d) => ({ dept_id: long(d.id), name: d.name, parent_id: long(id), create_dept_group: false, auto_add_user: false }));
  return { errcode: 0, errmsg: 'ok', result };
}

function getDepartment(emu: Emulator, params: Record<string, unknown>): Answer {
  const id = deptParam(params);
  const d = id === null ? undefined : lookup(emu).depts.get(id);
  if (!d) return NO_DEPT;
  return { errcode: 0, errmsg: 'ok', result: { dept_id: long(d.id), name: d.name, ...(d.parent_id === undefined ? {} : { parent_id: long(d.parent_id) }) } };
}

function listSubDepartmentIds(emu: Emulator, params: Record<string, unknown>): Answer {
  const id = deptParam(params);
  const l = lookup(emu);
  if (id === null || !l.depts.has(id)) return NO_DEPT;
  return { errcode: 0, errmsg: 'ok', result: { dept_id_list: (l.children.get(id) ?? []).map((d) => long(d.id)) } };
}

/** Direct members only, as at DingTalk: sub-departments are listed by their own calls. */
function listUserIds(emu: Emulator, params: Record<string, unknown>): Answer {
  const id = deptParam(params);
  const l = lookup(emu);
  if (id === null || !l.depts.has(id)) return NO_DEPT;
  return { errcode: 0, errmsg: 'ok', result: { userid_list: (l.members.get(id) ?? []).map((u) => u.userid) } };
}

function listUsers(emu: Emulator, params: Record<string, unknown>): Answer {
  const id = deptParam(params);
  const cursor = Number(params.cursor ?? 0);
  const size = Number(params.size);
  if (params.size === undefined || params.cursor === undefined) return { errcode: 40035, errmsg: '缺少参数 cursor 或 size' };
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) return { errcode: 40035, errmsg: `不合法的参数 size: 1..${MAX_PAGE_SIZE}` };
  if (!Number.isInteger(cursor) || cursor < 0) return { errcode: 40035, errmsg: '不合法的参数 cursor' };
  const l = lookup(emu);
  if (id === null || !l.depts.has(id)) return NO_DEPT;
  const all = l.members.get(id) ?? [];
  const page = all.slice(cursor, cursor + size).map((u) => ({
    userid: u.userid,
    name: u.name,
    dept_id_list: u.dept_ids.map(long),
    ...(u.mobile ? { mobile: u.mobile } : {}),
    ...(u.title ? { title: u.title } : {}),
    active: true,
  }));
  const hasMore = cursor + size < all.length;
  return { errcode: 0, errmsg: 'ok', result: { has_more: hasMore, ...(hasMore ? { next_cursor: cursor + size } : {}), list: page } };
}

function getUserByMobile(emu: Emulator, params: Record<string, unknown>): Answer {
  const mobile = typeof params.mobile === 'string' || typeof params.mobile === 'number' ? String(params.mobile) : '';
  if (mobile === '') return { errcode: 40035, errmsg: '缺少参数 mobile' };
  const u = lookup(emu).byMobile.get(mobile);
  return u ? { errcode: 0, errmsg: 'ok', result: { userid: u.userid } } : NO_USER;
}

function getUser(emu: Emulator, params: Record<string, unknown>): Answer {
  const u = typeof params.userid === 'string' ? lookup(emu).byId.get(params.userid) : undefined;
  if (!u) return NO_USER;
  return { errcode: 0, errmsg: 'ok', result: { userid: u.userid, name: u.name, dept_id_list: u.dept_ids.map(long), ...(u.mobile ? { mobile: u.mobile } : {}), ...(u.title ? { title: u.title } : {}) } };
}
