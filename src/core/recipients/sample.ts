import type { NotificationDef, Project } from '../project.js';
import { renderNotification, rowVars, type RenderOccasion } from '../renderNotification.js';
import type { EachRow } from './each.js';
import { maskText, maskVars, sensitiveFields, sensitiveValues } from './sensitive.js';

/**
 * What the plan, `render` and `--json` show of an `each:` row: rendered with its sensitive variables masked
 * (`¥•••••`), and any sensitive value that still shows (a helper that formats it) replaced too. Undefined when
 * the masked variables do not render (a helper that needs the number itself).
 */
export function maskedRowMsg(project: Project, n: NotificationDef, row: EachRow, sensitive: readonly string[], occasion: RenderOccasion): Record<string, unknown> | undefined {
  const vars = rowVars(n, row);
  const masked = renderNotification(project, n, occasion, maskVars(vars, sensitive));
  if (!masked.ok) return undefined;
  const hidden = sensitiveValues(vars, sensitive);
  return mapStrings(masked.msg, (s) => maskText(s, hidden)) as Record<string, unknown>;
}

/** The first row of an `each:` notification as a masked sample, for `dingcast render`. */
export function eachSample(project: Project, n: NotificationDef, occasion: RenderOccasion): Record<string, unknown> | undefined {
  const row = n.each?.rows[0];
  const template = project.templates.get(n.templateId);
  return row && template ? maskedRowMsg(project, n, row, sensitiveFields(template.variables), occasion) : undefined;
}

/** Every string leaf of a msg through `f`; keys and structure untouched. */
function mapStrings(v: unknown, f: (s: string) => string): unknown {
  if (typeof v === 'string') return f(v);
  if (Array.isArray(v)) return v.map((x) => mapStrings(x, f));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, f)]));
  return v;
}
