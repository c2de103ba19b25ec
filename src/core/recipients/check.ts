import type { Diagnostic } from '../diagnostics.js';
import type { Project } from '../project.js';
import { locate } from '../schemaErrors.js';
import { suggestDepartments, suggestUsers, type DirectoryIndex } from './directory.js';
import { mobileOf } from './mobiles.js';

/** Why a recipient as written cannot be sent to: "unknown userid `x`" + "not in the directory", and a hint. */
interface Unknown {
  what: string;
  why: string;
  hint: string;
}

/**
 * Every userid and department id checked against the pulled directory, offline: DingTalk would only say
 * "invalid" after the send. Each unknown id is reported where it was written — notifications.yaml, a group,
 * or the line of a users file — with a did-you-mean by id and by name. `mobile:` recipients are not judged here:
 * one the directory does not know is looked up with getbymobile at plan time (checkMobiles judges the answer).
 */
export function checkRecipientIds(project: Project, index: DirectoryIndex): Diagnostic[] {
  const hintOf = (s: string[]) => (s.length > 0 ? `Did you mean ${s.join(' or ')}?` : '`dingcast directory find TEXT` looks people up by name or mobile; run `dingcast directory pull` again if they joined since.');
  const out = checkRecipients(project, (u) => (mobileOf(u) !== undefined || index.user(u) !== undefined ? undefined : { what: `unknown userid \`${u}\``, why: 'not in the directory', hint: hintOf(suggestUsers(index, u)) }));
  const source = project.notificationsSource;
  if (!source) return out;
  for (const n of project.notifications) {
    // The ids as the loader read them from the text written (exact strings, index for index with the YAML list):
    // the YAML value, or a Number, would make 12345678901234567891 match 12345678901234567890.
    for (const [i, d] of n.to.departments.entries()) {
      if (index.department(d) === undefined) out.push(...locate(source, [{ path: ['notifications', n.id, 'to', 'departments', i], code: 'recipients/unknown-department', message: `unknown department id \`${String(d)}\`: not in the directory`, hint: hintOf(suggestDepartments(index, String(d))) }]));
    }
  }
  return out;
}

/**
 * Every `mobile:` recipient that `mobiles` (the directory's, plus getbymobile's answers) cannot map to a userid, where
 * it was written: the plan must not go out with it (DingTalk would take "mobile:…" as an invalid userid).
 */
export function checkMobiles(project: Project, mobiles: Readonly<Record<string, string>>): Diagnostic[] {
  return checkRecipients(project, (u) => {
    const m = mobileOf(u);
    if (m === undefined || Object.hasOwn(mobiles, m)) return undefined;
    return {
      what: `unknown mobile \`${m}\``,
      why: 'DingTalk (getbymobile) has no active user with it',
      hint: 'Check the number (`dingcast directory find 138…`), or write the person\'s userid; people who left the organisation cannot be reached.',
    };
  });
}

/** Each recipient judged where it was written: the to.users item, the group entry, or the users file's (or each: file's) line. */
function checkRecipients(project: Project, judge: (u: string) => Unknown | undefined): Diagnostic[] {
  const source = project.notificationsSource;
  if (!source) return [];
  const raw = source.value as { groups?: Record<string, unknown[]>; notifications?: Record<string, { to?: { users?: unknown[] } }> };
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const code = (u: string) => (mobileOf(u) === undefined ? 'recipients/unknown-user' : 'recipients/unknown-mobile');
  for (const n of project.notifications) {
    const to = raw.notifications?.[n.id]?.to ?? {};
    for (const [i, u] of (to.users ?? []).entries()) {
      const bad = typeof u === 'string' ? judge(u) : undefined;
      if (bad) out.push(...locate(source, [{ path: ['notifications', n.id, 'to', 'users', i], code: code(u as string), message: `${bad.what}: ${bad.why}`, hint: bad.hint }]));
    }
    for (const g of n.groups ?? []) {
      for (const [i, u] of (raw.groups?.[g] ?? []).entries()) {
        const key = `group:${g}:${i}`;
        const bad = typeof u === 'string' && !reported.has(key) ? judge(u) : undefined;
        if (bad) {
          reported.add(key);
          out.push(...locate(source, [{ path: ['groups', g, i], code: code(u as string), message: `${bad.what} in group \`${g}\`: ${bad.why}`, hint: bad.hint }]));
        }
      }
    }
    const file = n.userFile;
    if (file && !reported.has(`file:${file.file}`)) {
      reported.add(`file:${file.file}`);
      for (let i = 0; i < file.userids.length; i++) {
        const u = file.userids[i]!;
        const bad = judge(u);
        if (bad) out.push({ severity: 'error', code: code(u), file: file.file, line: file.lines[i] ?? 0, column: 1, message: `${bad.what}: ${bad.why}`, hint: bad.hint, ...(n.each ? { frame: false } : {}) });
      }
    }
  }
  return out;
}

/** "10001 研发部 (95 people)" for each department a notification sends to: what the 5000-a-minute cap counts. */
export function departmentReach(project: Project, index: DirectoryIndex, ids: string[]): string[] {
  const lines: string[] = [];
  for (const n of project.notifications.filter((x) => ids.includes(x.id))) {
    if (n.to.departments.length === 0) continue;
    const parts = n.to.departments.map((d) => `${String(d)} ${index.pathOf(d) || '?'} (${index.sizeOf(d)} people)`);
    const total = n.to.departments.reduce<number>((s, d) => s + index.sizeOf(d), 0);
    lines.push(`${n.id}: departments ${parts.join(', ')}: about ${total} people`);
  }
  return lines;
}
