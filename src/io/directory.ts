import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { deptIdOf } from '../core/deptId.js';
import type { Directory, DirectoryDepartment, DirectoryUser } from '../core/recipients/directory.js';
import { DingTalkError, UserError } from '../errors.js';
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

/** What .dingcast/directory.json holds: the pulled organisation (if `directory pull` ran) and the mobile → userid map. */
export interface DirectoryFile {
  /** Undefined when `directory pull` never ran (the file may then hold getbymobile's answers only). */
  directory: Directory | undefined;
  /** mobile → userid: what the pull saw, plus every getbymobile answer since. */
  mobiles: Record<string, string>;
}

/** The project's saved directory, or undefined when `directory pull` never ran. */
export async function readDirectory(projectDir: string): Promise<Directory | undefined> {
  return (await readDirectoryFile(projectDir)).directory;
}

export async function readDirectoryFile(projectDir: string): Promise<DirectoryFile> {
  const file = join(projectDir, DIRECTORY_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { directory: undefined, mobiles: {} };
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
  const mobiles = mobilesIn(v.mobiles);
  // A file written only to keep getbymobile's answers (no pull ever ran) is not an organisation to check ids against.
  if (typeof v.pulled_at !== 'string') return { directory: undefined, mobiles };
  // Files pulled before ids were strings hold numbers: read them as the ids' digits.
  const d = v as Directory;
  const id = (x: unknown): string => deptIdOf(x) ?? String(x);
  const directory: Directory = {
    ...d,
    departments: d.departments.map((x) => ({ ...x, id: id(x.id), ...(x.parent_id === undefined || x.parent_id === null ? {} : { parent_id: id(x.parent_id) }) })),
    users: d.users.map((u) => ({ ...u, dept_ids: Array.isArray(u.dept_ids) ? u.dept_ids.map(id) : [] })),
    mobiles,
  };
  return { directory, mobiles };
}

/** Only string → string entries: a hand-edited map must not turn a number into a userid. */
function mobilesIn(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const [m, id] of Object.entries(raw as Record<string, unknown>)) if (typeof id === 'string' && id !== '') out[m] = id;
  return out;
}

/**
 * Adds getbymobile's answers to .dingcast/directory.json (read again first: the pull's users and any other run's
 * answers stay), creating a file of look-ups only when no pull ever ran. Returns the whole map now on disk.
 */
export async function saveMobiles(projectDir: string, found: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const file = join(projectDir, DIRECTORY_FILE);
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  const base: Record<string, unknown> = text === undefined ? { format: 'dingcast.directory/v1', source: 'getbymobile', departments: [], users: [] } : (parseExact(text) as Record<string, unknown>);
  const mobiles = { ...mobilesIn(base.mobiles), ...found };
  await mkdir(join(projectDir, '.dingcast'), { recursive: true });
  // parseExact read 64-bit department ids as their digit strings, which is how the pull writes them too.
  await writeFileAtomic(file, JSON.stringify({ ...base, mobiles }, null, 1) + '\n', { mode: 0o600 });
  return mobiles;
}

/** DingTalk's answer for a mobile no active user has (left staff included) [O: the sandbox answers the same]. */
const NO_SUCH_USER = 60121;

/**
 * `topapi/v2/user/getbymobile` for each mobile, a few at a time (a contacts API: not metered against the monthly
 * quota). A mobile nobody has lands in `unknown`; any other refusal (no permission, a wrong secret) throws.
 */
export async function lookUpMobiles(call: ContactsCall, mobiles: readonly string[], inFlight = 4): Promise<{ found: Record<string, string>; unknown: string[] }> {
  const found: Record<string, string> = {};
  const unknown: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < mobiles.length) {
      const mobile = mobiles[next++]!;
      try {
        const result = (await call('/topapi/v2/user/getbymobile', { mobile })).result as { userid?: unknown } | undefined;
        if (typeof result?.userid === 'string' && result.userid !== '') found[mobile] = result.userid;
        else unknown.push(mobile);
      } catch (e) {
        if (e instanceof DingTalkError && e.errcode === NO_SUCH_USER) unknown.push(mobile);
        else throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, mobiles.length) }, worker));
  return { found, unknown };
}

export async function writeDirectory(projectDir: string, dir: Directory): Promise<string> {
  await mkdir(join(projectDir, '.dingcast'), { recursive: true });
  const file = join(projectDir, DIRECTORY_FILE);
  await writeFileAtomic(file, JSON.stringify(dir, null, 1) + '\n', { mode: 0o600 });
  return file;
}
