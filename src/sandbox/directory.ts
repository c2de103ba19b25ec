import { deptIdOf } from '../core/deptId.js';
import type { SandboxDepartment, SandboxDirectory, SandboxUser } from './types.js';

/** DingTalk's root department id. */
export const ROOT_DEPT_ID = '1';

/** Users the default directory always holds, so that `to_all_user` reaches more than the named few. */
const EXTRA_USERS: SandboxUser[] = [
  { userid: 'sandbox-alice', name: '艾丽丝', dept_ids: [ROOT_DEPT_ID] },
  { userid: 'sandbox-bob', name: '鲍勃', dept_ids: [ROOT_DEPT_ID] },
  { userid: 'sandbox-carol', name: '卡罗尔', dept_ids: [ROOT_DEPT_ID] },
];

/**
 * A directory holding exactly the users and departments that a notifications.yaml names
 * (`notifications.<id>.to.users` / `to.departments`): for tests that send to made-up ids. The sandbox's own
 * default is the sample company (org/sample-company.ts), where a typo is invalid as at DingTalk.
 * Each named department gets two members of its own; unreadable entries are skipped, because
 * validating notifications.yaml is `dingcast validate`'s job, not the sandbox's.
 */
export function defaultDirectoryFor(notifications: unknown): SandboxDirectory {
  const userIds = new Set<string>();
  const deptIds = new Set<string>();
  const entries = isObject(notifications) && isObject(notifications.notifications) ? Object.values(notifications.notifications) : [];
  for (const entry of entries) {
    const to = isObject(entry) && isObject(entry.to) ? entry.to : {};
    for (const u of Array.isArray(to.users) ? (to.users as unknown[]) : []) if (typeof u === 'string' && u !== '') userIds.add(u);
    for (const d of Array.isArray(to.departments) ? (to.departments as unknown[]) : []) {
      const id = deptIdOf(d);
      if (id !== undefined && id !== ROOT_DEPT_ID) deptIds.add(id);
    }
  }
  const departments: SandboxDepartment[] = [{ id: ROOT_DEPT_ID, name: 'dingcast sandbox corp' }];
  const users: SandboxUser[] = [...userIds].map((userid) => ({ userid, name: userid, dept_ids: [ROOT_DEPT_ID] }));
  for (const id of deptIds) {
    departments.push({ id, name: `Department ${id}`, parent_id: ROOT_DEPT_ID });
    for (const n of [1, 2]) users.push({ userid: `dept${id}-member${n}`, name: `Dept ${id} member ${n}`, dept_ids: [id] });
  }
  for (const extra of EXTRA_USERS) if (!userIds.has(extra.userid)) users.push(extra);
  return { users, departments };
}

/** Fast look-ups over a directory; sub-departments count as part of their parent. */
export class DirectoryIndex {
  private readonly usersById = new Map<string, SandboxUser>();
  private readonly children = new Map<string, string[]>();
  private readonly deptIds = new Set<string>();

  constructor(readonly directory: SandboxDirectory) {
    for (const u of directory.users) this.usersById.set(u.userid, u);
    for (const d of directory.departments) {
      this.deptIds.add(d.id);
      if (d.parent_id !== undefined) this.children.set(d.parent_id, [...(this.children.get(d.parent_id) ?? []), d.id]);
    }
  }

  hasUser(userid: string): boolean {
    return this.usersById.has(userid);
  }
  user(userid: string): SandboxUser | undefined {
    return this.usersById.get(userid);
  }
  hasDept(id: string): boolean {
    return this.deptIds.has(id);
  }
  get users(): SandboxUser[] {
    return this.directory.users;
  }

  /** Members of `deptId` and of all its descendants, in directory order. */
  membersOf(deptId: string): string[] {
    const within = new Set<string>();
    const stack = [deptId];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (within.has(id)) continue; // a cycle in a hand-written config must not hang the server
      within.add(id);
      stack.push(...(this.children.get(id) ?? []));
    }
    return this.directory.users.filter((u) => u.dept_ids.some((d) => within.has(d))).map((u) => u.userid);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
