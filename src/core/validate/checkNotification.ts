import type { Diagnostic } from '../diagnostics.js';
import type { YamlSource } from '../load/yamlSource.js';
import { checkSendRecipients, checkSendShape, checkSendSize, msgBytes } from '../msg/index.js';
import type { NotificationDef, Project } from '../project.js';
import { renderNotification, type RenderOccasion } from '../renderNotification.js';
import { locate } from '../schemaErrors.js';
import { closestMatch } from '../suggest.js';
import { renderProblem } from './checkTemplate.js';
import { compiledTemplate } from '../compiled.js';
import { checkSchedule } from './schedule.js';
import { checkVars, variableUsage } from './variables.js';
import { describeSizeByVariable, sizeByVariable } from './sizeByVariable.js';
import { checkMsgMedia } from './media.js';
import { checkEachRows } from './checkEach.js';
import { checkRemind } from './remind.js';
import type { CalendarSet } from '../schedule/index.js';

type Problem = Parameters<typeof locate>[1][number];

/** A notification's references, variables, schedule and its rendered msg with its recipients. */
export function checkNotification(project: Project, n: NotificationDef, source: YamlSource, occasion: RenderOccasion, calendars?: CalendarSet, templatesWithErrors?: ReadonlySet<string>): Diagnostic[] {
  const base = ['notifications', n.id];
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const template = project.templates.get(n.templateId);

  for (const p of checkSchedule(n.schedule, n.timezone ?? project.config.timezone, n.calendar, calendars ? { calendars, now: occasion.now } : undefined)) {
    const path = p.field === 'timezone' && n.timezone === undefined ? ['timezone'] : [...base, p.field];
    (p.severity === 'warning' ? warnings : errors).push({ path, code: p.code, message: p.message, hint: p.hint });
  }
  const remind = checkRemind(project, n, occasion, templatesWithErrors);
  errors.push(...remind.errors);
  warnings.push(...remind.warnings);
  if (!n.each && !isEach(source, n.id) && !n.to.all && n.to.users.length === 0 && n.to.departments.length === 0) {
    errors.push({ path: [...base, 'to'], code: 'notification/no-recipients', message: `notification \`${n.id}\` has no recipients`, hint: 'Give `to.users`, `to.departments` or `to.all: true`.' });
  }

  // A template file that exists but did not load reports its own errors; saying "not found" here would mislead.
  if (!template && project.brokenTemplates.has(n.templateId)) return locate(source, errors);
  if (!template) {
    const guess = closestMatch(n.templateId, project.templates.keys());
    errors.push({ path: [...base, 'template'], code: 'reference/unknown-template', message: `template \`${n.templateId}\` not found in templates/`, hint: guess ? `Did you mean \`${guess}\`?` : `Create templates/${n.templateId}.yaml or fix the name.` });
    return locate(source, errors);
  }
  if (n.pin !== undefined && n.pin !== template.version) {
    errors.push({ path: [...base, 'template'], code: 'reference/version-pin', message: `\`${n.templateRef}\` pins version ${n.pin}, but templates/${template.id}.yaml is version ${template.version}`, hint: `Review the template change, then write \`${template.id}@${template.version}\`.` });
  }
  // One message per row: each row is checked as it will be sent, at its line in the data file.
  if (n.each) return [...locate(source, errors), ...locate(source, warnings, 'warning'), ...checkEachRows(project, n, template, n.each, occasion)];
  // A file that did not load has said why; its rows' variables cannot be checked.
  if (isEach(source, n.id)) return [...locate(source, errors), ...locate(source, warnings, 'warning')];
  const varsPath = n.varsFile !== undefined && !('vars' in ((source.value as { notifications: Record<string, object> }).notifications[n.id] ?? {})) ? [...base, 'vars_file'] : [...base, 'vars'];
  const varProblems = checkVars(template, n.vars);
  errors.push(...varProblems.map((p) => ({ ...p, path: [...varsPath, ...p.path], message: `notification \`${n.id}\`: ${p.message}` })));
  // Invalid variables would only repeat themselves as render errors; a template that does not compile is reported in its own file.
  if (varProblems.length > 0) return [...locate(source, errors), ...locate(source, warnings, 'warning')];

  const r = renderNotification(project, n, occasion);
  if (!r.ok) {
    // A template that does not compile, or uses undeclared names, is reported in its own file.
    if ('errors' in compiledTemplate(template) || variableUsage(template).undeclared.length > 0) return [...locate(source, errors), ...locate(source, warnings, 'warning')];
    errors.push(...r.errors.filter((e) => e.code !== 'render/syntax' && e.code !== 'render/bad-timezone').map((e) => ({ ...renderProblem(e, varsPath), message: `notification \`${n.id}\` (template ${n.templateRef}): ${e.message}` })));
  } else {
    // Shape problems belong to the template and are reported there; here only what these variables cause.
    const shape = checkSendShape(r.msg);
    if (shape.length > 0 && templatesWithErrors?.has(template.id) !== false) {
      warnings.push({ path: [...base, 'template'], code: 'notification/invalid-msg', message: `notification \`${n.id}\` renders a msg that DingTalk would reject`, hint: `See the errors reported in templates/${template.id}.yaml.` });
    } else {
      // The template is fine with its examples, so these variables cause it (e.g. an empty text.content: DingTalk
      // answers 40035): an error here, where the values are, not a send that fails.
      for (const p of shape) {
        errors.push({ path: varsPath, at: 'key', code: 'notification/invalid-msg', message: `notification \`${n.id}\` renders a msg DingTalk refuses (errcode ${p.errcode}): ${p.message}`, hint: p.hint ?? `Check the values given to templates/${template.id}.yaml.` });
      }
    }
    for (const p of checkSendSize(r.msg)) {
      // Name the variables whose values made it big, not only the msg field they landed in.
      const big = p.code === 'msg/too-large' ? describeSizeByVariable(sizeByVariable(n.vars, msgBytes(r.msg), (vars) => { const again = renderNotification(project, n, occasion, vars); return again.ok ? again.msg : undefined; })) : '';
      errors.push({ path: base, at: 'key', code: p.code, message: `notification \`${n.id}\`: ${p.message}${big}`, hint: p.hint });
    }
    for (const p of checkSendRecipients(r.msg, n.to, project.config.appKind)) {
      // An internal app asking for a template is about the template reference, not the recipients.
      const at = p.code === 'msg/template-send-internal' ? [...base, 'template'] : [...base, 'to'];
      errors.push({ path: at, at: p.code === 'msg/template-send-internal' ? 'value' : 'key', code: p.code, message: `notification \`${n.id}\`: ${p.message}`, hint: p.hint });
    }
    return [...locate(source, errors), ...locate(source, warnings, 'warning'), ...checkMsgMedia(project, template, r.msg, { source, varsPath, vars: n.vars })];
  }
  return [...locate(source, errors), ...locate(source, warnings, 'warning')];
}

/** An `each:` notification whose file did not load has no rows; its own errors say why, not "no recipients". */
function isEach(source: YamlSource, id: string): boolean {
  return (source.value as { notifications?: Record<string, { each?: unknown }> }).notifications?.[id]?.each !== undefined;
}
