import type { Diagnostic } from '../diagnostics.js';
import type { YamlSource } from '../load/yamlSource.js';
import { checkMediaFile, localMediaOf, type MediaProblem } from '../media/index.js';
import type { Project, TemplateDef } from '../project.js';
import { locate } from '../schemaErrors.js';

/**
 * Problems of the local file a rendered msg names. A path written in the template is reported there; a path
 * that came from a variable is reported at that variable in notifications.yaml (or at the example).
 */
export function checkMsgMedia(
  project: Project,
  template: TemplateDef,
  msg: Record<string, unknown>,
  origin: { source: YamlSource; varsPath: (string | number)[]; vars: Record<string, unknown> },
): Diagnostic[] {
  const local = localMediaOf(msg);
  // A project loaded without its media (in-memory tests, the API without the reader) has nothing to check against.
  if (!local || !project.media) return [];
  const body = msg[local.type] as Record<string, unknown>;
  const problems = checkMediaFile(local, project.media?.get(local.ref), body.duration);
  return problems.flatMap((p) => locateProblem(p, template, local.type, origin));
}

export function checkTemplateExamplesMedia(project: Project, t: TemplateDef, render: (vars: Record<string, unknown>) => Record<string, unknown> | undefined): Diagnostic[] {
  return Object.entries(t.examples).flatMap(([name, vars]) => {
    const msg = render(vars);
    return msg ? checkMsgMedia(project, t, msg, { source: t.source, varsPath: ['examples', name], vars }) : [];
  });
}

function locateProblem(p: MediaProblem, t: TemplateDef, type: string, origin: { source: YamlSource; varsPath: (string | number)[]; vars: Record<string, unknown> }): Diagnostic[] {
  const body = (t.msg[type] ?? {}) as Record<string, unknown>;
  const raw = body[p.field];
  const problem = { code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
  // A literal in the template: the template line. `{{name}}`: that variable's line where the value was given.
  if (typeof raw === 'string' && !raw.includes('{{')) return locate(t.source, [{ ...problem, path: ['msg', type, p.field] }], p.severity);
  const name = typeof raw === 'string' ? /^\s*\{\{\s*([A-Za-z_][\w-]*)\s*\}\}\s*$/.exec(raw)?.[1] : undefined;
  const path = name !== undefined && name in origin.vars && origin.varsPath.at(-1) !== 'vars_file' ? [...origin.varsPath, name] : origin.varsPath;
  return locate(origin.source, [{ ...problem, path }], p.severity);
}
