import type { Diagnostic } from '../diagnostics.js';
import type { Project } from '../project.js';
import { locate } from '../schemaErrors.js';
import { suggestDepartments, suggestUsers, type DirectoryIndex } from './directory.js';

/**
 * Every userid and department id checked against the pulled directory, offline: DingTalk would only say
 * "invalid" after the send. Each unknown id is reported where it was written — notifications.yaml, a group,
 * or the line of a users file — with a did-you-mean by id and by name.
 */
export function checkRecipientIds(project: Project, index: DirectoryIndex): Diagnostic[] {
  const source = project.notificationsSource;
  if (!source) return [];
  const raw = source.value as { groups?: Record<string, unknown[]>; notifications?: Record<string, { to?: { users?: unknown[]; departments?: unknown[] } }> };
  const out: Diagnostic[] = [];
  const reported = new Set<string>();
  const hintOf = (s: string[]) => (s.length > 0 ? `Did you mean ${s.join(' or ')}?` : '`dingcast directory find TEXT` looks people up by name or mobile; run `dingcast directory pull` again if they joined since.');
  const mobiles = index.directory.mobiles;
  // A mobile is known when the pulled directory (or an earlier look-up) maps it to a userid.
  const unknownUser = (u: string) => (u.startsWith('mobile:') ? mobiles[u.slice(7)] === undefined : index.user(u) === undefined);
  for (const n of project.notifications) {
    const to = raw.notifications?.[n.id]?.to ?? {};
    for (const [i, u] of (to.users ?? []).entries()) {
      if (typeof u === 'string' && unknownUser(u)) out.push(...locate(source, [{ path: ['notifications', n.id, 'to', 'users', i], code: 'recipients/unknown-user', message: `unknown userid \`${u}\`: not in the directory`, hint: hintOf(suggestUsers(index, u)) }]));
    }
    for (const g of n.groups ?? []) {
      for (const [i, u] of (raw.groups?.[g] ?? []).entries()) {
        const key = `group:${g}:${i}`;
        if (typeof u === 'string' && unknownUser(u) && !reported.has(key)) {
          reported.add(key);
          out.push(...locate(source, [{ path: ['groups', g, i], code: 'recipients/unknown-user', message: `unknown userid \`${u}\` in group \`${g}\`: not in the directory`, hint: hintOf(suggestUsers(index, u)) }]));
        }
      }
    }
    const file = n.userFile;
    if (file && !reported.has(`file:${file.file}`)) {
      reported.add(`file:${file.file}`);
      for (let i = 0; i < file.userids.length; i++) {
        const u = file.userids[i]!;
        if (unknownUser(u)) out.push({ severity: 'error', code: 'recipients/unknown-user', file: file.file, line: file.lines[i] ?? 0, column: 1, message: `unknown userid \`${u}\`: not in the directory`, hint: hintOf(suggestUsers(index, u)) });
      }
    }
    // The ids as the loader read them from the text written (exact strings, index for index with the YAML list):
    // the YAML value, or a Number, would make 12345678901234567891 match 12345678901234567890.
    for (const [i, d] of n.to.departments.entries()) {
      if (index.department(d) === undefined) out.push(...locate(source, [{ path: ['notifications', n.id, 'to', 'departments', i], code: 'recipients/unknown-department', message: `unknown department id \`${String(d)}\`: not in the directory`, hint: hintOf(suggestDepartments(index, String(d))) }]));
    }
  }
  return out;
}

/**
 * `mobile:13800000000` → the userid the directory maps it to. Without a mapping the send must not go out: DingTalk
 * would take "mobile:…" as an (invalid) userid. Resolution at send time with getbymobile is not built yet.
 */
export function resolveMobiles(project: Project, index: DirectoryIndex | undefined): { project: Project; unresolved: string[] } {
  const unresolved = new Set<string>();
  const notifications = project.notifications.map((n) => {
    if (!n.to.users.some((u) => u.startsWith('mobile:'))) return n;
    const users = n.to.users.map((u) => {
      if (!u.startsWith('mobile:')) return u;
      const id = index?.directory.mobiles[u.slice(7)];
      if (id === undefined) unresolved.add(u);
      return id ?? u;
    });
    return { ...n, to: { ...n.to, users } };
  });
  return { project: { ...project, notifications }, unresolved: [...unresolved] };
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
