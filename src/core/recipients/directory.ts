import { deptIdOf } from '../deptId.js';
import { closestMatch } from '../suggest.js';

/** `.dingcast/directory.json`: the organisation as `dingcast directory pull` saw it. Holds names and mobiles: git-ignored. */
export interface Directory {
  format: 'dingcast.directory/v1';
  pulled_at: string;
  /** The DingTalk endpoint it came from (no token). */
  source: string;
  departments: DirectoryDepartment[];
  users: DirectoryUser[];
  /** mobile → userid, filled by `getbymobile` look-ups for `mobile:` recipients (and by pull where DingTalk shows mobiles). */
  mobiles: Record<string, string>;
}

/** Department ids are exact decimal strings (64-bit at DingTalk: a number would lose them beyond 2^53). */
export interface DirectoryDepartment {
  id: string;
  name: string;
  parent_id?: string;
}

export interface DirectoryUser {
  userid: string;
  name: string;
  mobile?: string;
  title?: string;
  dept_ids: string[];
}

/** Look-ups over a directory, built once per command. */
export interface DirectoryIndex {
  directory: Directory;
  user(userid: string): DirectoryUser | undefined;
  /** The department an id names as written (`0123` is 123 to DingTalk); undefined for an unknown one. */
  department(id: string | number): DirectoryDepartment | undefined;
  /** People in a department and all its sub-departments (each counted once): what a send to it reaches. */
  sizeOf(deptId: string | number): number;
  /** "研发部 / 平台组" */
  pathOf(deptId: string | number): string;
  /** The first department's name, for "zhangsan (张三, 研发部)". */
  describe(u: DirectoryUser): string;
}

export function indexDirectory(directory: Directory): DirectoryIndex {
  const users = new Map(directory.users.map((u) => [u.userid, u]));
  // Keyed by the canonical id, so an id written `0123` (or read from an older file as a number) finds its department.
  const key = (id: string | number): string => deptIdOf(id) ?? String(id);
  const depts = new Map(directory.departments.map((d) => [key(d.id), d]));
  const children = new Map<string, string[]>();
  for (const d of directory.departments) if (d.parent_id !== undefined) children.set(key(d.parent_id), [...(children.get(key(d.parent_id)) ?? []), key(d.id)]);
  const direct = new Map<string, string[]>();
  for (const u of directory.users) for (const d of u.dept_ids) direct.set(key(d), [...(direct.get(key(d)) ?? []), u.userid]);
  const sizes = new Map<string, number>();
  const sizeOf = (written: string | number): number => {
    const deptId = key(written);
    const known = sizes.get(deptId);
    if (known !== undefined) return known;
    const within = new Set<string>();
    const people = new Set<string>();
    const stack = [deptId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (within.has(id)) continue; // a cycle must not hang the check
      within.add(id);
      for (const u of direct.get(id) ?? []) people.add(u);
      stack.push(...(children.get(id) ?? []));
    }
    sizes.set(deptId, people.size);
    return people.size;
  };
  const pathOf = (deptId: string | number): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let d = depts.get(key(deptId)); d && !seen.has(key(d.id)); d = d.parent_id === undefined || key(d.parent_id) === '1' ? undefined : depts.get(key(d.parent_id))) {
      seen.add(key(d.id));
      names.unshift(d.name);
    }
    return names.join(' / ');
  };
  return {
    directory,
    user: (id) => users.get(id),
    department: (id) => depts.get(key(id)),
    sizeOf,
    pathOf,
    describe: (u) => {
      const dept = u.dept_ids.map((d) => depts.get(key(d))?.name).find((n) => n !== undefined);
      return `${u.userid} (${u.name}${dept ? `, ${dept}` : ''})`;
    },
  };
}

/**
 * "Did you mean" for an unknown userid: the closest userid (a typo: `zhangsna`), and people whose name is what was
 * written (`张三` written where the userid belongs) — by id first, then by name.
 */
export function suggestUsers(index: DirectoryIndex, written: string): string[] {
  const out: string[] = [];
  const byId = closestMatch(written, index.directory.users.map((u) => u.userid));
  if (byId !== undefined) out.push(index.describe(index.user(byId)!));
  const lower = written.toLowerCase();
  for (const u of index.directory.users) {
    if (u.userid === byId) continue;
    if (u.name === written || u.name.toLowerCase() === lower) out.push(index.describe(u));
  }
  return out.slice(0, 3);
}

export function suggestDepartments(index: DirectoryIndex, written: string | number): string[] {
  const text = String(written);
  const byName = index.directory.departments.filter((d) => d.name === text || d.name.toLowerCase() === text.toLowerCase());
  const byId = closestMatch(text, index.directory.departments.map((d) => String(d.id)));
  const found = [...(byId === undefined ? [] : [index.department(byId)!]), ...byName.filter((d) => String(d.id) !== byId)];
  return found.slice(0, 3).map((d) => `${d.id} (${index.pathOf(d.id)}, ${index.sizeOf(d.id)} people)`);
}

export interface FoundEntry {
  kind: 'user' | 'department';
  id: string;
  label: string;
}

/** `dingcast directory find TEXT`: people and departments whose id, name or mobile contains the text. */
export function findInDirectory(index: DirectoryIndex, text: string): FoundEntry[] {
  const q = text.trim().toLowerCase();
  if (q === '') return [];
  const out: FoundEntry[] = [];
  for (const d of index.directory.departments) {
    if (String(d.id) === q || d.name.toLowerCase().includes(q)) out.push({ kind: 'department', id: String(d.id), label: `${index.pathOf(d.id) || d.name}, ${index.sizeOf(d.id)} people` });
  }
  for (const u of index.directory.users) {
    if (u.userid.toLowerCase().includes(q) || u.name.toLowerCase().includes(q) || (u.mobile !== undefined && u.mobile.includes(q))) {
      const depts = u.dept_ids.map((d) => index.pathOf(d)).filter(Boolean).join('; ');
      out.push({ kind: 'user', id: u.userid, label: [u.name, u.title, depts, u.mobile].filter(Boolean).join(', ') });
    }
  }
  return out;
}
