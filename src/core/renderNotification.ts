import { compiledTemplate } from './compiled.js';
import type { NotificationDef, Project, TemplateDef, Vars } from './project.js';
import type { RenderContext, RenderError, RenderResult } from './render/index.js';

/**
 * What a message is rendered for, beyond its variables: the instant (`@now`, `@today`), and for a send the run and
 * schedule slot (`@run_id`, `@slot`). Not a clock: core never reads the time, the caller decides it once.
 */
export interface RenderOccasion {
  now: Date;
  runId?: string;
  slot?: string;
}

/** Render a template with a set of variables; compile problems and render problems come back the same way. */
export function renderTemplate(template: TemplateDef, vars: Vars, ctx: RenderContext): RenderResult {
  const compiled = compiledTemplate(template);
  if ('errors' in compiled) return { ok: false, errors: compiled.errors };
  return compiled.render(vars, ctx);
}

export type NotificationRender =
  | { ok: true; template: TemplateDef; msg: Record<string, unknown> }
  | { ok: false; template: TemplateDef | undefined; errors: RenderError[] };

/** `vars`: the variables to render with, when not the notification's own (an `each:` row's, over `vars`). */
export function renderNotification(project: Project, n: NotificationDef, occasion: RenderOccasion, vars: Vars = n.vars): NotificationRender {
  const template = project.templates.get(n.templateId);
  if (!template) return { ok: false, template, errors: [{ code: 'reference/unknown-template', path: [], message: `template \`${n.templateId}\` not found` }] };
  const ctx: RenderContext = { now: occasion.now, timezone: n.timezone ?? project.config.timezone, notification: n.id };
  if (occasion.runId !== undefined) ctx.runId = occasion.runId;
  if (occasion.slot !== undefined) ctx.slot = occasion.slot;
  const r = renderTemplate(template, vars, ctx);
  return r.ok ? { ok: true, template, msg: r.msg } : { ok: false, template, errors: r.errors };
}

/** An `each:` row's variables: the row's fields over the notification's `vars`. */
export function rowVars(n: NotificationDef, row: { fields: Vars }): Vars {
  return { ...n.vars, ...row.fields };
}
