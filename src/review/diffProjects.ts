import type { NotificationDef, Project } from '../core/project.js';
import { unifiedDiff } from './lineDiff.js';
import { callCount, snapshotNotification, type RenderSnapshot, type SnapshotClock } from './snapshot.js';
import { diffTemplates, type TemplateChange } from './diffTemplates.js';
import type { Change, ChangeStatus, DiffLabels, ListChange } from './change.js';

export interface NotificationChange {
  id: string;
  status: ChangeStatus;
  /** The template reference as written, e.g. `release-note@3`. */
  templateRef: Change<string>;
  /** The template actually rendered, `id@version`. */
  template: Change<string>;
  bytes: Change<number>;
  calls: Change<number>;
  users: ListChange<string>;
  departments: ListChange<string>;
  toAll: Change<boolean>;
  /** Other settings that changed (schedule, calendar, enabled, timezone), as `name: old → new`. */
  settings: string[];
  /** Render errors per side. */
  errors: Change<string[]>;
  /** Unified diff of the rendered msg (as YAML); for an added notification every line is `+`. */
  diff: string;
}

export interface ProjectDiff {
  notifications: NotificationChange[];
  templates: TemplateChange[];
}

/** What changes for the people who receive the messages: rendered content, size, recipients, pins. Pure. */
export function diffProjects(oldProject: Project | undefined, newProject: Project, clock: SnapshotClock, labels: DiffLabels): ProjectDiff {
  const oldById = new Map((oldProject?.notifications ?? []).map((n) => [n.id, n]));
  const newById = new Map(newProject.notifications.map((n) => [n.id, n]));
  const ids = [...newById.keys(), ...[...oldById.keys()].filter((id) => !newById.has(id))];
  const notifications: NotificationChange[] = [];
  for (const id of ids) {
    const change = diffNotification(id, oldProject, oldById.get(id), newProject, newById.get(id), clock, labels);
    if (change) notifications.push(change);
  }
  return { notifications, templates: diffTemplates(oldProject, newProject, clock, labels) };
}

interface Side {
  n: NotificationDef;
  snap: RenderSnapshot;
  template: string | undefined;
  calls: number;
}

function sideOf(project: Project | undefined, n: NotificationDef | undefined, clock: SnapshotClock): Side | undefined {
  if (!project || !n) return undefined;
  const t = project.templates.get(n.templateId);
  return { n, snap: snapshotNotification(project, n, clock), template: t ? `${t.id}@${t.version}` : undefined, calls: callCount(project, n) };
}

function diffNotification(
  id: string,
  oldProject: Project | undefined,
  oldN: NotificationDef | undefined,
  newProject: Project,
  newN: NotificationDef | undefined,
  clock: SnapshotClock,
  labels: DiffLabels,
): NotificationChange | undefined {
  const a = sideOf(oldProject, oldN, clock);
  const b = sideOf(newProject, newN, clock);
  const status: ChangeStatus = !a ? 'added' : !b ? 'removed' : 'changed';
  const oldText = a?.snap.text ?? '';
  const newText = b?.snap.text ?? '';
  const change: NotificationChange = {
    id,
    status,
    templateRef: { old: a?.n.templateRef, new: b?.n.templateRef },
    template: { old: a?.template, new: b?.template },
    bytes: { old: a?.snap.ok ? a.snap.bytes : undefined, new: b?.snap.ok ? b.snap.bytes : undefined },
    calls: { old: a?.calls, new: b?.calls },
    users: listChange(a?.n.to.users ?? [], b?.n.to.users ?? []),
    departments: listChange((a?.n.to.departments ?? []).map(String), (b?.n.to.departments ?? []).map(String)),
    toAll: { old: a?.n.to.all, new: b?.n.to.all },
    settings: a && b ? settingChanges(a.n, b.n) : [],
    errors: { old: a && !a.snap.ok ? a.snap.errors : undefined, new: b && !b.snap.ok ? b.snap.errors : undefined },
    diff: unifiedDiff(oldText, newText, { oldLabel: a ? `${id} (${labels.old})` : '/dev/null', newLabel: b ? `${id} (${labels.new})` : '/dev/null' }),
  };
  if (status !== 'changed') return change;
  const same =
    change.diff === '' &&
    change.templateRef.old === change.templateRef.new &&
    change.template.old === change.template.new &&
    change.calls.old === change.calls.new &&
    change.users.added.length + change.users.removed.length + change.departments.added.length + change.departments.removed.length === 0 &&
    change.toAll.old === change.toAll.new &&
    change.settings.length === 0;
  return same ? undefined : change;
}

export function listChange<T>(oldList: T[], newList: T[]): ListChange<T> {
  const o = new Set(oldList);
  const n = new Set(newList);
  return { added: [...n].filter((x) => !o.has(x)), removed: [...o].filter((x) => !n.has(x)) };
}

function settingChanges(a: NotificationDef, b: NotificationDef): string[] {
  const out: string[] = [];
  const show = (v: string | boolean | undefined): string => (v === undefined ? '(none)' : String(v));
  for (const key of ['schedule', 'calendar', 'timezone', 'enabled'] as const) {
    if (a[key] !== b[key]) out.push(`${key}: ${show(a[key])} → ${show(b[key])}`);
  }
  return out;
}
