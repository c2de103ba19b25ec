import type { Diagnostic } from '../diagnostics.js';
import { checkMediaFile, localMediaOf } from '../media/index.js';
import { checkSendSize } from '../msg/index.js';
import { locate } from '../schemaErrors.js';
import type { NotificationDef, Project, TemplateDef } from '../project.js';
import { columnOf, rowLabel, type EachRow, type EachSource } from '../recipients/each.js';
import { maskText, sensitiveFields, sensitiveValues } from '../recipients/sensitive.js';
import { renderNotification, rowVars, type RenderOccasion } from '../renderNotification.js';
import { checkVars } from './variables.js';

/** Past this many failing rows a notification reports the count, not every row: a wrong column fails them all. */
const MAX_ROW_PROBLEMS = 20;

/**
 * Every row of an `each:` file checked as it will be sent: its variables against the template's `variables`
 * schema, its rendering, and DingTalk's 2048-byte limit. Each problem names the row's line (and the cell's
 * column when the problem is one field). Sensitive values are masked in the messages and the source line is
 * not printed under them.
 */
export function checkEachRows(project: Project, n: NotificationDef, template: TemplateDef, each: EachSource, occasion: RenderOccasion): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (each.rows.length === 0) {
    return [{ severity: 'error', code: 'each/no-rows', file: each.file, line: 1, column: 1, message: `${each.file} has no rows: \`${n.id}\` would send nothing`, hint: 'Add one row per person under the header.' }];
  }
  const sensitive = sensitiveFields(template.variables);
  let failing = 0;
  // A file written in the template is the same for every row: its problem is reported once, at the template.
  const once = new Set<string>();
  for (const row of each.rows) {
    const problems = rowProblems(project, n, template, each, row, occasion, sensitive).filter((d) => {
      if (d.file !== template.source.file) return true;
      const key = `${d.code}|${d.line}|${d.message}`;
      return once.has(key) ? false : (once.add(key), true);
    });
    if (problems.length === 0) continue;
    if (!problems.some((d) => d.severity === 'error')) {
      out.push(...problems);
      continue;
    }
    if (++failing <= MAX_ROW_PROBLEMS) out.push(...problems);
  }
  if (failing > MAX_ROW_PROBLEMS) {
    out.push({ severity: 'error', code: 'each/more-rows', file: each.file, line: 1, column: 1, message: `… and ${failing - MAX_ROW_PROBLEMS} more row(s) of ${each.file} with problems (${failing} of ${each.rows.length})`, hint: 'Fix the rows above first; the same cause often fails the rest.' });
  }
  return out;
}

function rowProblems(project: Project, n: NotificationDef, template: TemplateDef, each: EachSource, row: EachRow, occasion: RenderOccasion, sensitive: string[]): Diagnostic[] {
  const vars = rowVars(n, row);
  const hidden = sensitiveValues(vars, sensitive);
  const where = `${rowLabel(each.file, row)} for \`${row.userid}\``;
  const at = (field: string | undefined, code: string, message: string, hint?: string): Diagnostic => {
    const index = field === undefined ? -1 : each.columns.indexOf(field);
    const d: Diagnostic = { severity: 'error', code, file: each.file, line: row.line, column: index >= 0 ? columnOf(each.text, row.line, index) : 1, message: maskText(message, hidden), frame: false };
    if (hint !== undefined) d.hint = maskText(hint, hidden);
    return d;
  };
  const varProblems = checkVars(template, vars);
  if (varProblems.length > 0) {
    return varProblems.map((p) => {
      const field = typeof p.path[0] === 'string' ? p.path[0] : undefined;
      return at(field, p.code, `${where}: ${p.message.replace(/^the variables object/, 'the row')}`, p.hint);
    });
  }
  const r = renderNotification(project, n, occasion, vars);
  if (!r.ok) return r.errors.map((e) => at(undefined, e.code, `${where}: does not render with template ${n.templateRef}: ${e.message}`));
  const size = checkSendSize(r.msg).map((p) => at(undefined, p.code, `${where}: ${p.message}`, p.hint));
  return [...size, ...rowMedia(project, template, r.msg, (field, code, message, hint) => at(field, code, `${where}: ${message}`, hint), each.columns)];
}

/**
 * The local file a row's msg names (missing, wrong type, too large…): at the row and the cell that named it
 * (`media_id: "./slips/{{file}}"`), or at the template when the template writes the path itself.
 */
function rowMedia(project: Project, template: TemplateDef, msg: Record<string, unknown>, at: (field: string | undefined, code: string, message: string, hint?: string) => Diagnostic, columns: readonly string[]): Diagnostic[] {
  const local = localMediaOf(msg);
  // A project loaded without its media (in-memory tests, the API without the reader) has nothing to check against.
  if (!local || !project.media) return [];
  const body = msg[local.type] as Record<string, unknown>;
  const written = (template.msg[local.type] ?? {}) as Record<string, unknown>;
  return checkMediaFile(local, project.media.get(local.ref), body.duration).flatMap((p) => {
    const raw = written[p.field];
    if (typeof raw === 'string' && !raw.includes('{{')) {
      return locate(template.source, [{ path: ['msg', local.type, p.field], code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}) }], p.severity);
    }
    const names = typeof raw === 'string' ? [...raw.matchAll(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g)].map((m) => m[1]!) : [];
    const d = at(names.find((name) => columns.includes(name)), p.code, p.message, p.hint);
    return [{ ...d, severity: p.severity }];
  });
}
