import type { Change, ListChange } from './change.js';
import type { NotificationChange, ProjectDiff } from './diffProjects.js';

/** Short phrases shared by the text and Markdown forms of a diff. */

export function describeBytes(bytes: Change<number>, limit = 2048): string {
  const { old: a, new: b } = bytes;
  if (a === undefined && b === undefined) return '—';
  if (a === undefined) return `${b} B`;
  if (b === undefined) return `${a} B`;
  if (a === b) return `${b} B`;
  const d = b - a;
  return `${a} → ${b} B (${d > 0 ? '+' : ''}${d})${b > limit ? ' over 2048' : ''}`;
}

export function describePair<T>(c: Change<T>, show: (v: T) => string = String): string {
  if (c.old === undefined && c.new === undefined) return '—';
  if (c.old === undefined) return show(c.new as T);
  if (c.new === undefined) return show(c.old);
  return c.old === c.new ? show(c.new) : `${show(c.old)} → ${show(c.new)}`;
}

export function describeList(label: string, c: ListChange<string>): string | undefined {
  if (c.added.length + c.removed.length === 0) return undefined;
  const parts = [...c.added.map((x) => `+${x}`), ...c.removed.map((x) => `−${x}`)];
  return `${label} ${parts.join(' ')}`;
}

/** Who gains or loses the message, or '' when nobody does. */
export function describeRecipients(n: NotificationChange): string {
  const parts: string[] = [];
  if (n.toAll.old !== n.toAll.new && n.status === 'changed') parts.push(`everyone (to_all_user): ${String(n.toAll.old)} → ${String(n.toAll.new)}`);
  if (n.status === 'changed') {
    const u = describeList('users', n.users);
    const d = describeList('departments', n.departments);
    if (u) parts.push(u);
    if (d) parts.push(d);
  } else {
    const users = n.status === 'added' ? n.users.added : n.users.removed;
    const depts = n.status === 'added' ? n.departments.added : n.departments.removed;
    const all = n.status === 'added' ? n.toAll.new : n.toAll.old;
    if (all) parts.push('everyone (to_all_user)');
    if (users.length > 0) parts.push(`${users.length} user(s)`);
    if (depts.length > 0) parts.push(`${depts.length} department(s)`);
  }
  return parts.join('; ');
}

/** `release-note@2 → release-note@3`, plus the resolved version when the reference is unpinned. */
export function describeTemplate(n: NotificationChange): string {
  const ref = describePair(n.templateRef);
  const resolved = describePair(n.template);
  return ref === resolved || resolved === '—' ? ref : `${ref} (renders ${resolved})`;
}

export function countChanges(d: ProjectDiff): { added: number; removed: number; changed: number; templates: number } {
  const by = (s: string) => d.notifications.filter((n) => n.status === s).length;
  return { added: by('added'), removed: by('removed'), changed: by('changed'), templates: d.templates.length };
}

export function summaryLine(d: ProjectDiff): string {
  const c = countChanges(d);
  if (c.added + c.removed + c.changed + c.templates === 0) return 'no rendered changes';
  const parts: string[] = [];
  if (c.changed > 0) parts.push(`${c.changed} notification(s) changed`);
  if (c.added > 0) parts.push(`${c.added} added`);
  if (c.removed > 0) parts.push(`${c.removed} removed`);
  if (c.templates > 0) parts.push(`${c.templates} template(s) changed`);
  return parts.join(', ');
}
