import { parse } from 'yaml';
import { UserError } from '../../errors.js';
import { ROOT_DEPT_ID } from '../directory.js';
import { deptId, isObject, knownKeys, list, str } from '../readValues.js';
import type { SandboxDirectory, SandboxUser } from '../types.js';
import { SAMPLE_COMPANY } from './sample-company.js';
import type { OrgDepartment, OrgFile, OrgMember } from './types.js';

/** The sandbox's default organisation: the sample company shipped with dingcast. */
export function sampleDirectory(): SandboxDirectory {
  return directoryOfOrg(SAMPLE_COMPANY);
}

/**
 * A directory file as given to `dingcast sandbox --directory FILE`. Two shapes are read: departments with
 * `members` (written by hand), and the flat `{departments, users}` that `dingcast directory pull` saves, so a
 * pulled organisation can be replayed in the sandbox.
 */
export function parseOrgFile(text: string, file: string): SandboxDirectory {
  let raw: unknown;
  try {
    // Integers as BigInt: a department id beyond 2^53 written plain stays exact.
    raw = parse(text, { intAsBigInt: true });
  } catch (e) {
    throw new UserError(`${file}: not valid YAML/JSON: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  if (!isObject(raw) || !Array.isArray(raw.departments)) {
    throw new UserError(`${file}: a directory file needs a \`departments\` list`, 'See `dingcast sandbox --help` for the format: departments: [{ id, name, parent_id, members: [{ userid, name, mobile }] }].');
  }
  if (Array.isArray(raw.users)) return readFlat(raw, file);
  return directoryOfOrg(readOrg(raw, file));
}

export function directoryOfOrg(org: OrgFile): SandboxDirectory {
  const users = new Map<string, SandboxUser>();
  const departments: SandboxDirectory['departments'] = [];
  for (const d of org.departments) {
    const id = String(d.id);
    departments.push(d.parent_id === undefined ? { id, name: d.name } : { id, name: d.name, parent_id: String(d.parent_id) });
    for (const m of d.members ?? []) {
      const known = users.get(m.userid);
      // One person in two departments is listed under both; they are one user with two dept ids.
      if (known) known.dept_ids.push(id);
      else users.set(m.userid, { userid: m.userid, name: m.name, dept_ids: [id], ...(m.mobile ? { mobile: m.mobile } : {}), ...(m.title ? { title: m.title } : {}) });
    }
  }
  if (!departments.some((d) => d.id === ROOT_DEPT_ID)) departments.unshift({ id: ROOT_DEPT_ID, name: org.name ?? 'root' });
  return { users: [...users.values()], departments };
}

function readOrg(raw: Record<string, unknown>, file: string): OrgFile {
  knownKeys(raw, ['name', 'departments', 'left'], file);
  const seen = new Set<string>();
  const departments = (raw.departments as unknown[]).map((d, i): OrgDepartment => {
    const where = `${file}: departments[${i}]`;
    if (!isObject(d)) throw new UserError(`${where} must be a mapping`);
    knownKeys(d, ['id', 'name', 'parent_id', 'members'], where);
    const id = deptId(d.id, `${where}.id`);
    if (seen.has(id)) throw new UserError(`${where}: department ${id} is listed twice`);
    seen.add(id);
    const members = d.members === undefined ? [] : list(d.members, `${where}.members`).map((m, j) => readMember(m, `${where}.members[${j}]`));
    return { id, name: str(d.name, `${where}.name`), ...(d.parent_id === undefined ? {} : { parent_id: deptId(d.parent_id, `${where}.parent_id`) }), members };
  });
  for (const [i, d] of departments.entries()) {
    if (d.parent_id !== undefined && String(d.parent_id) !== ROOT_DEPT_ID && !seen.has(String(d.parent_id))) throw new UserError(`${file}: departments[${i}].parent_id ${d.parent_id} is not a department in the file`);
  }
  const left = raw.left === undefined ? [] : list(raw.left, `${file}: left`).map((m, j) => readMember(m, `${file}: left[${j}]`));
  return { ...(typeof raw.name === 'string' ? { name: raw.name } : {}), departments, left };
}

function readFlat(raw: Record<string, unknown>, file: string): SandboxDirectory {
  const departments = (raw.departments as unknown[]).map((d, i) => {
    const where = `${file}: departments[${i}]`;
    if (!isObject(d)) throw new UserError(`${where} must be a mapping`);
    const id = deptId(d.id, `${where}.id`);
    return { id, name: str(d.name, `${where}.name`), ...(d.parent_id === undefined || d.parent_id === null ? {} : { parent_id: deptId(d.parent_id, `${where}.parent_id`) }) };
  });
  const users = (raw.users as unknown[]).map((u, i): SandboxUser => {
    const where = `${file}: users[${i}]`;
    if (!isObject(u)) throw new UserError(`${where} must be a mapping`);
    const m = readMember({ userid: u.userid, name: u.name, ...(u.mobile === undefined ? {} : { mobile: u.mobile }), ...(u.title === undefined ? {} : { title: u.title }) }, where);
    return { ...m, dept_ids: list(u.dept_ids ?? [], `${where}.dept_ids`).map((d, j) => deptId(d, `${where}.dept_ids[${j}]`)) };
  });
  return { users, departments };
}

function readMember(m: unknown, where: string): OrgMember {
  if (!isObject(m)) throw new UserError(`${where} must be a mapping with userid and name`);
  knownKeys(m, ['userid', 'name', 'mobile', 'title'], where);
  const userid = str(m.userid, `${where}.userid`);
  const out: OrgMember = { userid, name: m.name === undefined ? userid : str(m.name, `${where}.name`) };
  if (m.mobile !== undefined) out.mobile = str(typeof m.mobile === 'number' || typeof m.mobile === 'bigint' ? String(m.mobile) : m.mobile, `${where}.mobile`);
  if (m.title !== undefined) out.title = str(m.title, `${where}.title`);
  return out;
}
