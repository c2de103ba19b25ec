import { deptIdOf } from '../../core/deptId.js';
import type { ApiError, SandboxTunables } from '../types.js';

export interface Selectors {
  users: string[];
  /** Exact decimal digits, leading zeros dropped: DingTalk reads each as a Long. */
  depts: string[];
  all: boolean;
  /** Which selectors the caller passed (present and non-empty). */
  given: { users: boolean; depts: boolean; all: boolean };
}

/**
 * Reads userid_list / dept_id_list / to_all_user. DingTalk documents the lists as comma-joined strings
 * and every SDK sends strings; arrays are refused with 40035 unless `acceptListArrays` is on.
 * A selector passed empty is refused: "if passed, it must be non-empty" (007gzs issue #23).
 * At least one selector is required (seed: "userid_list, dept_id_list, to_all_user 必须有一个不能为空").
 */
export function readSelectors(params: Record<string, unknown>, t: SandboxTunables): Selectors | ApiError {
  const users = readList(params.userid_list, 'userid_list', t.acceptListArrays);
  if (isError(users)) return users;
  const depts = readList(params.dept_id_list, 'dept_id_list', t.acceptListArrays);
  if (isError(depts)) return depts;
  const all = readBool(params.to_all_user);
  if (isError(all)) return all;

  if (users === null && depts === null && !all) {
    return { errcode: 40035, errmsg: '不合法的参数: userid_list, dept_id_list, to_all_user 必须有一个不能为空' };
  }
  if (users !== null && users.length > t.useridsPerCall) {
    return { errcode: 40032, errmsg: `不合法的userid_list长度: ${users.length} > ${t.useridsPerCall}` };
  }
  if (depts !== null && depts.length > t.deptIdsPerCall) {
    return { errcode: 40032, errmsg: `不合法的dept_id_list长度: ${depts.length} > ${t.deptIdsPerCall}` };
  }
  const badDept = (depts ?? []).find((d) => !/^\d+$/.test(d));
  if (badDept !== undefined) return { errcode: 40066, errmsg: `不合法的部门列表: "${badDept}"` };
  return {
    users: unique(users ?? []),
    depts: unique((depts ?? []).map((d) => deptIdOf(d) ?? d)),
    all,
    given: { users: users !== null, depts: depts !== null, all },
  };
}

function readList(v: unknown, name: string, acceptArrays: boolean): string[] | null | ApiError {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) {
    if (!acceptArrays) return { errcode: 40035, errmsg: `不合法的参数: ${name} 必须是逗号分隔的字符串` };
    v = v.map(String).join(',');
  }
  if (typeof v === 'number') v = String(v);
  if (typeof v !== 'string') return { errcode: 40035, errmsg: `不合法的参数: ${name}` };
  const items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) return { errcode: 40035, errmsg: `不合法的参数: ${name} 不能为空` };
  return items;
}

function readBool(v: unknown): boolean | ApiError {
  if (v === undefined || v === null || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  return { errcode: 40035, errmsg: '不合法的参数: to_all_user' };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function isError(v: unknown): v is ApiError {
  return typeof v === 'object' && v !== null && 'errcode' in v && !Array.isArray(v);
}
