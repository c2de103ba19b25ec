import type { Project, TemplateDef } from '../core/project.js';
import type { Change, ChangeStatus, DiffLabels } from './change.js';
import { unifiedDiff } from './lineDiff.js';
import { snapshotExample, type SnapshotClock } from './snapshot.js';

export interface ExampleChange {
  name: string;
  bytes: Change<number>;
  errors: Change<string[]>;
  diff: string;
}

export interface TemplateChange {
  id: string;
  status: ChangeStatus;
  version: Change<number>;
  /** Examples whose rendering changed; both sides use the same variables (the new file's, else the old's). */
  examples: ExampleChange[];
  /** The file changed but no example renders differently (e.g. only `variables` or `description`). */
  sourceOnly: boolean;
  /** The rendered content changed while `version` stayed the same: reports would record two contents as one id@version. */
  contentChangedWithoutBump: boolean;
  /** Notifications of the new project that use this template. */
  usedBy: string[];
}

export function diffTemplates(oldProject: Project | undefined, newProject: Project, clock: SnapshotClock, labels: DiffLabels): TemplateChange[] {
  const oldT = oldProject?.templates ?? new Map<string, TemplateDef>();
  const ids = [...new Set([...newProject.templates.keys(), ...oldT.keys()])].sort();
  const out: TemplateChange[] = [];
  for (const id of ids) {
    const a = oldT.get(id);
    const b = newProject.templates.get(id);
    if (a && b && a.source.text === b.source.text) continue;
    const examples = diffExamples(a, b, newProject.config.timezone, clock, labels);
    const status: ChangeStatus = !a ? 'added' : !b ? 'removed' : 'changed';
    out.push({
      id,
      status,
      version: { old: a?.version, new: b?.version },
      examples,
      sourceOnly: status === 'changed' && examples.length === 0,
      contentChangedWithoutBump: status === 'changed' && examples.length > 0 && a?.version === b?.version,
      usedBy: newProject.notifications.filter((n) => n.templateId === id).map((n) => n.id),
    });
  }
  return out;
}

function diffExamples(a: TemplateDef | undefined, b: TemplateDef | undefined, timezone: string, clock: SnapshotClock, labels: DiffLabels): ExampleChange[] {
  const names = [...new Set([...Object.keys(b?.examples ?? {}), ...Object.keys(a?.examples ?? {})])];
  const out: ExampleChange[] = [];
  for (const name of names) {
    const vars = b?.examples[name] ?? a?.examples[name] ?? {};
    const oldSnap = a ? snapshotExample(a, vars, timezone, clock) : undefined;
    const newSnap = b ? snapshotExample(b, vars, timezone, clock) : undefined;
    const diff = unifiedDiff(oldSnap?.text ?? '', newSnap?.text ?? '', {
      oldLabel: a ? `${a.id}@${a.version} example ${name} (${labels.old})` : '/dev/null',
      newLabel: b ? `${b.id}@${b.version} example ${name} (${labels.new})` : '/dev/null',
    });
    if (diff === '') continue;
    out.push({
      name,
      bytes: { old: oldSnap?.ok ? oldSnap.bytes : undefined, new: newSnap?.ok ? newSnap.bytes : undefined },
      errors: { old: oldSnap && !oldSnap.ok ? oldSnap.errors : undefined, new: newSnap && !newSnap.ok ? newSnap.errors : undefined },
      diff,
    });
  }
  return out;
}
