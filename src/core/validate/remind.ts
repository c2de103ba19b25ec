import { chunkRecipients } from '../chunk.js';
import type { Diagnostic } from '../diagnostics.js';
import { checkSendShape, checkSendSize } from '../msg/index.js';
import type { DirectoryIndex } from '../recipients/directory.js';
import { callReach, recipientSizes } from '../send/reach.js';
import { RESULT_MAX_RECIPIENTS } from '../send/remind.js';
import type { NotificationDef, Project, TemplateDef, Vars } from '../project.js';
import { rowLabel, type EachSource } from '../recipients/each.js';
import { maskText, sensitiveFields, sensitiveValues } from '../recipients/sensitive.js';
import { renderTemplate, rowVars, type RenderOccasion } from '../renderNotification.js';
import { locate } from '../schemaErrors.js';
import { closestMatch } from '../suggest.js';
import { checkVars } from './variables.js';

type Problem = Parameters<typeof locate>[1][number];

/** DingTalk answers getsendresult for 24 hours after a send (dingtalk-api.md): a reminder must come before that. */
export const MAX_REMIND_AFTER_MS = 24 * 3_600_000;
const MIN_REMIND_AFTER_MS = 60_000;

/**
 * `remind: { after, template }` of one notification: a duration DingTalk can still answer for, a template that
 * exists (pinned to its version) and renders with the notification's variables (for `each:`, with every row's).
 * Departments are judged where the directory is read (checkRemindReach).
 */
export function checkRemind(project: Project, n: NotificationDef, occasion: RenderOccasion, templatesWithErrors?: ReadonlySet<string>): { errors: Problem[]; warnings: Problem[] } {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const r = n.remind;
  if (!r) return { errors, warnings };
  const base = ['notifications', n.id, 'remind'];
  if (r.afterMs === undefined) {
    errors.push({ path: [...base, 'after'], code: 'remind/bad-duration', message: `\`remind.after\` \`${r.after}\` is not a duration`, hint: 'Write it like 30m, 4h or 1h30m (units s, m, h), e.g. `after: 4h`.' });
  } else if (r.afterMs < MIN_REMIND_AFTER_MS || r.afterMs >= MAX_REMIND_AFTER_MS) {
    errors.push({ path: [...base, 'after'], code: 'remind/after-out-of-range', message: `\`remind.after\` \`${r.after}\` must be at least 1m and less than 24h`, hint: 'DingTalk says who has read a message (getsendresult) only for 24 hours after it was sent; e.g. `after: 4h`.' });
  }
  // Who can be reminded depends on the directory (departments: checkRemindReach, run where the directory is read).
  // An `each:` file that did not load has said why; its rows cannot be checked against the reminder either.
  if (!n.each && eachDeclared(project, n.id)) return { errors, warnings };

  const template = project.templates.get(r.templateId);
  const at = [...base, 'template'];
  if (!template) {
    // A template file that exists but did not load reports its own errors.
    if (project.brokenTemplates.has(r.templateId)) return { errors, warnings };
    const guess = closestMatch(r.templateId, project.templates.keys());
    errors.push({ path: at, code: 'remind/unknown-template', message: `reminder template \`${r.templateId}\` not found in templates/`, hint: guess ? `Did you mean \`${guess}\`?` : `Create templates/${r.templateId}.yaml (the reminder's message) or fix the name.` });
    return { errors, warnings };
  }
  if (r.pin !== undefined && r.pin !== template.version) {
    errors.push({ path: at, code: 'reference/version-pin', message: `\`${r.templateRef}\` pins version ${r.pin}, but templates/${template.id}.yaml is version ${template.version}`, hint: `Review the template change, then write \`${template.id}@${template.version}\`.` });
  }
  if (template.id === n.templateId) {
    warnings.push({ path: at, code: 'remind/same-template', message: `the reminder uses the notification's own template \`${template.id}\`: with the same variables it is the same message`, hint: 'DingTalk drops identical content to the same person on the same day (143106). Give the reminder a template of its own ("Still unread: …").' });
  }
  if (n.each) {
    // `each:` (issue 16): the reminder is each unread row's own message, rendered with that row's fields.
    checkEachReminder(project, n, n.each, template, occasion, templatesWithErrors, errors);
    return { errors, warnings };
  }
  const varProblems = checkVars(template, n.vars);
  // The hint the variables check gives ("add `owner:` here") would point at the wrong place: this is remind.template.
  for (const p of varProblems) errors.push({ path: at, code: p.code, message: `notification \`${n.id}\`'s variables do not fit the reminder template ${r.templateRef}: ${p.message}`, hint: 'The reminder renders with this notification\'s `vars`: give them what its template needs, or change the reminder template.' });
  if (varProblems.length > 0) return { errors, warnings };
  errors.push(...renderProblems(project, n, template, n.vars, occasion, templatesWithErrors, (m) => `the reminder template ${r.templateRef} does not render with notification \`${n.id}\`'s variables: ${m}`, (m) => `the reminder of \`${n.id}\` renders a msg DingTalk refuses: ${m}`));
  return { errors, warnings };
}


/** The reminder rendered with `vars`: what does not render, and what DingTalk would refuse of the msg (at remind.template). */
function renderProblems(project: Project, n: NotificationDef, template: TemplateDef, vars: Vars, occasion: RenderOccasion, templatesWithErrors: ReadonlySet<string> | undefined, notRendered: (m: string) => string, refused: (m: string) => string): Problem[] {
  const at = ['notifications', n.id, 'remind', 'template'];
  const rendered = renderTemplate(template, vars, { now: occasion.now, timezone: n.timezone ?? project.config.timezone, notification: n.id, runId: occasion.runId ?? '(validate)' });
  // A template that does not compile, or uses undeclared names, says so in its own file.
  if (!rendered.ok) return rendered.errors.filter((x) => x.code !== 'render/syntax' && x.code !== 'render/bad-timezone' && x.code !== 'render/undeclared').map((e) => ({ path: at, code: e.code, message: notRendered(e.message) }));
  // Shape problems of the template alone are reported in its own file; these are the ones its variables cause.
  const shape = templatesWithErrors?.has(template.id) === true ? [] : checkSendShape(rendered.msg);
  return [...shape, ...checkSendSize(rendered.msg)].map((p) => ({ path: at, code: p.code, message: refused(p.message), hint: p.hint }));
}

/**
 * An `each:` notification's reminder goes to each unread person with their own row's message: every row is checked
 * against the reminder template as it would be sent (variables, rendering, size); the first row that does not fit
 * is the error (a wrong column fails them all), at `remind.template`, naming the row and the file's columns.
 * Sensitive values (of either template) never appear in the message. A row field the notification's template marks
 * sensitive must be sensitive in the reminder's too, or the reminder would keep it in the ledger and the reports.
 */
function checkEachReminder(project: Project, n: NotificationDef, each: EachSource, template: TemplateDef, occasion: RenderOccasion, templatesWithErrors: ReadonlySet<string> | undefined, errors: Problem[]): void {
  const r = n.remind as NonNullable<NotificationDef['remind']>;
  const at = ['notifications', n.id, 'remind', 'template'];
  const own = sensitiveFields(project.templates.get(n.templateId)?.variables);
  const mine = new Set(sensitiveFields(template.variables));
  const declared = Object.keys((template.variables?.properties as Record<string, unknown> | undefined) ?? {});
  const exposed = own.filter((f) => declared.includes(f) && !mine.has(f));
  if (exposed.length > 0) {
    errors.push({ path: at, code: 'remind/each-sensitive', message: `the reminder template ${r.templateRef} declares ${exposed.map((f) => `\`${f}\``).join(', ')} without \`sensitive: true\`, which notification \`${n.id}\`'s template ${n.templateRef} marks sensitive: the reminder would keep those values in the ledger and the reports`, hint: `Add \`sensitive: true\` to ${exposed.map((f) => `\`${f}\``).join(', ')} in templates/${template.id}.yaml, or leave the value out of the reminder.` });
  }
  const hidden = [...own, ...mine];
  const columns = `the columns of ${each.file}: ${each.columns.map((c) => `\`${c}\``).join(', ')}`;
  for (const row of each.rows) {
    const vars = rowVars(n, row);
    const mask = (m: string) => maskText(m, sensitiveValues(vars, hidden));
    const where = `${rowLabel(each.file, row) === 'row' ? `row ${row.index} (line ${row.line}) of ${each.file}` : rowLabel(each.file, row)} for \`${row.userid}\``;
    const varProblems = checkVars(template, vars);
    if (varProblems.length > 0) {
      errors.push({ path: at, code: 'remind/each-row-vars', message: mask(`the reminder template ${r.templateRef} renders with each unread row's fields, and ${where} does not fit it: ${varProblems.map((p) => p.message.replace(/^the variables object/, 'the row')).join('; ')}`), hint: `Make the reminder template use only what every row has (${columns}, and the notification's \`vars\`), or change the reminder template.` });
      return;
    }
    const problems = renderProblems(project, n, template, vars, occasion, templatesWithErrors, (m) => mask(`the reminder template ${r.templateRef} does not render with ${where}: ${m}`), (m) => mask(`the reminder of \`${n.id}\` for ${where} renders a msg DingTalk refuses: ${m}`));
    if (problems.length > 0) {
      errors.push(...problems);
      return;
    }
  }
}

/** The notification is written with `each:` (its file may not have loaded). */
function eachDeclared(project: Project, id: string): boolean {
  return (project.notificationsSource?.value as { notifications?: Record<string, { each?: unknown }> } | undefined)?.notifications?.[id]?.each !== undefined;
}

/**
 * Who a reminder to departments (or everyone) can reach: DingTalk says who has read a task only when it has at most
 * 100 recipients, so a department call can be reminded when the pulled directory shows it reaches ≤ 100 people
 * (validate and send run this where the directory is read; without one the sizes are unknown). Otherwise only the
 * people of `to.users` are reminded (a warning), or, with none, the reminder is refused.
 */
export function checkRemindReach(project: Project, org: DirectoryIndex | undefined): Diagnostic[] {
  const source = project.notificationsSource;
  if (!source) return [];
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  for (const n of project.notifications) {
    if (!n.remind || n.each || (n.to.departments.length === 0 && !n.to.all)) continue;
    const why = unanswerable(project, n, org);
    if (why === undefined) continue;
    const base = ['notifications', n.id, 'remind'];
    const where = n.to.all ? 'the whole company' : 'its departments';
    if (n.to.users.length === 0) {
      errors.push({ path: base, at: 'key', code: 'remind/no-users', message: `notification \`${n.id}\`: a reminder goes to those who have not read, and DingTalk's getsendresult says who only for a task of at most ${RESULT_MAX_RECIPIENTS} recipients; ${why}, so dingcast cannot learn who in ${where} has read`, hint: org ? 'List the people to remind in `to.users` (a group or `users_file` keeps it short), send to smaller departments, or drop `remind:`.' : 'Run `dingcast directory pull` so the department sizes are known (each call ≤ 100 people can be reminded), or list the people in `to.users` (a group or `users_file`), or drop `remind:`.' });
    } else {
      warnings.push({ path: base, at: 'key', code: 'remind/users-only', message: `notification \`${n.id}\`: the reminder reaches only the unread people of \`to.users\`: ${why}, and getsendresult answers only for tasks of at most ${RESULT_MAX_RECIPIENTS} recipients`, hint: org ? 'Name the people in `to.users` if they need the reminder too.' : 'Run `dingcast directory pull`: departments whose calls reach at most 100 people are reminded too.' });
    }
  }
  return [...locate(source, errors), ...locate(source, warnings, 'warning')];
}

/** Why the department/everyone calls of `n` cannot be asked who has read; undefined when every one reaches ≤ 100 people. */
function unanswerable(project: Project, n: NotificationDef, org: DirectoryIndex | undefined): string | undefined {
  if (!org) return 'without a pulled directory (`.dingcast/directory.json`) the size of a department is unknown';
  const to = { users: [], departments: n.to.departments, all: n.to.all };
  const sizes = recipientSizes(to, org);
  for (const c of chunkRecipients(to, project.config.limits)) {
    const reach = callReach(c, sizes);
    const what = c.toAll ? 'the whole company' : `the call to department${(c.deptIds?.length ?? 0) > 1 ? 's' : ''} ${(c.deptIds ?? []).map(String).join(', ')}`;
    if (reach === undefined) return `the directory does not know ${what}`;
    if (reach > RESULT_MAX_RECIPIENTS) return `the directory shows ${what} reaching ${reach} people`;
  }
  return undefined;
}
