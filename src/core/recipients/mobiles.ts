import type { Project } from '../project.js';

/** How one `mobile:` recipient was resolved, for the plan ("mobile:13800000000 → zhangsan"). */
export interface ResolvedMobile {
  mobile: string;
  userid: string;
}

const PREFIX = 'mobile:';

/** `mobile:13800000000` → `13800000000`; undefined for a userid. */
export function mobileOf(recipient: string): string | undefined {
  return recipient.startsWith(PREFIX) ? recipient.slice(PREFIX.length) : undefined;
}

/**
 * Every mobile the project's notifications name (in `to.users`, a group, a users file, or an `each:` file keyed by
 * `mobile`), once each, in the order written: what a run must know the userid of before it can plan.
 */
export function mobilesOf(project: Project): string[] {
  const out = new Set<string>();
  for (const n of project.notifications) {
    for (const u of n.to.users) {
      const m = mobileOf(u);
      if (m !== undefined) out.add(m);
    }
  }
  return [...out];
}

/**
 * `mobile:13800000000` → the userid `mobiles` maps it to, everywhere the project holds recipients: `to.users`, the
 * users file's list (the checks' line numbers) and the `each:` rows (their ledger key is the userid). A mobile
 * nobody maps stays as written and is returned in `unresolved`: it must never reach DingTalk, which would take
 * "mobile:…" as an (invalid) userid.
 */
export function resolveMobiles(project: Project, mobiles: Readonly<Record<string, string>>): { project: Project; resolved: Map<string, ResolvedMobile[]>; unresolved: string[] } {
  const unresolved = new Set<string>();
  const resolved = new Map<string, ResolvedMobile[]>();
  const to = (u: string): string => {
    const m = mobileOf(u);
    if (m === undefined) return u;
    const id = Object.hasOwn(mobiles, m) ? mobiles[m] : undefined;
    if (id === undefined) unresolved.add(u);
    return id ?? u;
  };
  const notifications = project.notifications.map((n) => {
    if (!n.to.users.some((u) => u.startsWith(PREFIX))) return n;
    const seen = new Set<string>();
    const list: ResolvedMobile[] = [];
    for (const u of n.to.users) {
      const m = mobileOf(u);
      const id = m === undefined || !Object.hasOwn(mobiles, m) ? undefined : mobiles[m];
      if (m !== undefined && id !== undefined && !seen.has(m)) {
        seen.add(m);
        list.push({ mobile: m, userid: id });
      }
    }
    if (list.length > 0) resolved.set(n.id, list);
    return {
      ...n,
      to: { ...n.to, users: n.to.users.map(to) },
      ...(n.userFile ? { userFile: { ...n.userFile, userids: n.userFile.userids.map(to) } } : {}),
      ...(n.each ? { each: { ...n.each, rows: n.each.rows.map((r) => ({ ...r, userid: to(r.userid) })) } } : {}),
    };
  });
  return { project: { ...project, notifications }, resolved, unresolved: [...unresolved] };
}
