import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { deptIdOf } from '../core/deptId.js';
import type { Directory, DirectoryDepartment, DirectoryUser } from '../core/recipients/directory.js';
import { UserError } from '../errors.js';
import { JsonLong, parseExact } from '../exactJson.js';

/** The one client call the directory needs: a contacts API (not metered against the monthly quota). */
export type ContactsCall = (path: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;

export const DIRECTORY_FILE = join('.dingcast', 'directory.json');
const PAGE_SIZE = 100; // DingTalk's maximum for topapi/v2/user/list

export interface PullProgress {
  departments: number;
  users: number;
  /** The department being read. */
  current: string;
}

/**
 * Walks the department tree from the root (listsub, one level per call) and lists each department's direct members
 * page by page (user/list with cursor). A person in two departments is one user with two dept ids.
 */
export async function pullDirectory(call: ContactsCall, source: string, now: Date, onProgress: (p: PullProgress) => void = () => {}): Promise<Directory> {
  const root = (await call('/topapi/v2/department/get', { dept_id: 1 })).result as Record<string, unknown> | undefined;
  const departments: DirectoryDepartment[] = [{ id: '1', name: typeof root?.name === 'string' ? root.name : 'root' }];
  const users = new Map<string, DirectoryUser>();
  // Department ids are exact strings: DingTalk's are 64-bit, sent and read as JSON numbers with every digit.
  const queue = ['1'];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const dept = departments.find((d) => d.id === id)!;
    onProgress({ departments: seen.size, users: users.size, current: dept.name });
    const sub = (await call('/topapi/v2/department/listsub', { dept_id: new JsonLong(id) })).result;
    for (const d of Array.isArray(sub) ? (sub as Record<string, unknown>[]) : []) {
      const childId = deptIdOf(d.dept_id);
      if (childId === undefined || seen.has(childId)) continue;
      departments.push({ id: childId, name: typeof d.name === 'string' ? d.name : childId, parent_id: id });
      queue.push(childId);
    }
    for (let cursor: number | undefined = 0; cursor !== undefined; ) {
      const page = (await call('/topapi/v2/user/list', { dept_id: new JsonLong(id), cursor, size: PAGE_SIZE })).result as Record<string, unknown> | undefined;
      for (const u of Array.isArray(page?.list) ? (page.list as Record<string, unknown>[]) : []) addUser(users, u, id);
      const next = Number(page?.next_cursor);
      cursor = page?.has_more === true && Number.isSafeInteger(next) && next !== cursor ? next : undefined;
    }
  }
  const mobiles: Record<string, string> = {};
  for (const u of users.values()) if (u.mobile) mobiles[u.mobile] = u.userid;
  return { format: 'dingcast.directory/v1', pulled_at: now.toISOString(), source, departments, users: [...users.values()], mobiles };
}

function addUser(users: Map<string, DirectoryUser>, u: Record<string, unknown>, deptId: string): void {
  if (typeof u.userid !== 'string' || u.userid === '') return;
  const known = users.get(u.userid);
  if (known) {
    if (!known.dept_ids.includes(deptId)) known.dept_ids.push(deptId);
    return;
  }
  users.set(u.userid, {
    userid: u.userid,
    name: typeof u.name === 'string' ? u.name : u.userid,
    ...(typeof u.mobile === 'string' && u.mobile !== '' ? { mobile: u.mobile } : {}),
    ...(typeof u.title === 'string' && u.title !== '' ? { title: u.title } : {}),
    dept_ids: [deptId],
  });
}

/** The project's saved directory, or undefined when `directory pull` never ran. */
export async function readDirectory(projectDir: string): Promise<Directory | undefined> {
  const file = join(projectDir, DIRECTORY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let value: unknown;
  try {
    value = parseExact(text);
  } catch {
    throw new UserError(`${DIRECTORY_FILE} is damaged (not JSON)`, 'Run `dingcast directory pull` again.');
  }
  const v = value as Partial<Directory> | null;
  if (!v || v.format !== 'dingcast.directory/v1' || !Array.isArray(v.users) || !Array.isArray(v.departments)) {
    throw new UserError(`${DIRECTORY_FILE} is not a dingcast directory (format dingcast.directory/v1)`, 'Run `dingcast directory pull` again.');
  }
  // Files pulled before ids were strings hold numbers: read them as the ids' digits.
  const d = v as Directory;
  const id = (x: unknown): string => deptIdOf(x) ?? String(x);
  return {
    ...d,
    departments: d.departments.map((x) => ({ ...x, id: id(x.id), ...(x.parent_id === undefined || x.parent_id === null ? {} : { parent_id: id(x.parent_id) }) })),
    users: d.users.map((u) => ({ ...u, dept_ids: Array.isArray(u.dept_ids) ? u.dept_ids.map(id) : [] })),
    mobiles: v.mobiles ?? {},
  };
}

export async function writeDirectory(projectDir: string, dir: Directory): Promise<string> {
  await mkdir(join(projectDir, '.dingcast'), { recursive: true });
  const file = join(projectDir, DIRECTORY_FILE);
  await writeFileAtomic(file, JSON.stringify(dir, null, 1) + '\n', { mode: 0o600 });
  return file;
}
