import { chunkRecipients } from '../chunk.js';
import type { Diagnostic } from '../diagnostics.js';
import { checkSendShape, checkSendSize } from '../msg/index.js';
import type { DirectoryIndex } from '../recipients/directory.js';
import { callReach, recipientSizes } from '../send/reach.js';
import { RESULT_MAX_RECIPIENTS } from '../send/remind.js';
import type { NotificationDef, Project } from '../project.js';
import { renderTemplate, type RenderOccasion } from '../renderNotification.js';
import { locate } from '../schemaErrors.js';
import { closestMatch } from '../suggest.js';
import { checkVars } from './variables.js';

type Problem = Parameters<typeof locate>[1][number];

/** DingTalk answers getsendresult for 24 hours after a send (dingtalk-api.md): a reminder must come before that. */
export const MAX_REMIND_AFTER_MS = 24 * 3_600_000;
const MIN_REMIND_AFTER_MS = 60_000;

/**
 * `remind: { after, template }` of one notification: a duration DingTalk can still answer for, a template that
 * exists (pinned to its version) and renders with the notification's variables, and recipients DingTalk can say
 * have read (userids; a department's readers are not listed).
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
  if (n.each) {
    // Not built (issue 16): each row is a message of its own, often a task of its own, so knowing who is unread costs
    // up to one metered getsendresult per row, and the reminder would need each row's variables (some sensitive).
    errors.push({ path: base, at: 'key', code: 'remind/each', message: `notification \`${n.id}\`: \`remind:\` does not work with \`each:\` (one message per person): each row's message is its own DingTalk task, so finding who has not read would take up to one getsendresult call per row (metered: a standard-edition organisation has 5000 a month), and dingcast does not build per-row reminders`, hint: 'Drop `remind:` here. To remind, `dingcast report RUN --refresh` lists who is still unread; send them a notification of its own (`to.users`, no per-row values).' });
    return { errors, warnings };
  }

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
  const varProblems = checkVars(template, n.vars);
  // The hint the variables check gives ("add `owner:` here") would point at the wrong place: this is remind.template.
  for (const p of varProblems) errors.push({ path: at, code: p.code, message: `notification \`${n.id}\`'s variables do not fit the reminder template ${r.templateRef}: ${p.message}`, hint: 'The reminder renders with this notification\'s `vars`: give them what its template needs, or change the reminder template.' });
  if (varProblems.length > 0) return { errors, warnings };
  const rendered = renderTemplate(template, n.vars, { now: occasion.now, timezone: n.timezone ?? project.config.timezone, notification: n.id, runId: occasion.runId ?? '(validate)' });
  // A template that does not compile, or uses undeclared names, says so in its own file.
  if (!rendered.ok) {
    for (const e of rendered.errors.filter((x) => x.code !== 'render/syntax' && x.code !== 'render/bad-timezone' && x.code !== 'render/undeclared')) {
      errors.push({ path: at, code: e.code, message: `the reminder template ${r.templateRef} does not render with notification \`${n.id}\`'s variables: ${e.message}` });
    }
    return { errors, warnings };
  }
  // Shape problems of the template alone are reported in its own file; these are the ones its variables cause.
  const shape = templatesWithErrors?.has(template.id) === true ? [] : checkSendShape(rendered.msg);
  for (const p of [...shape, ...checkSendSize(rendered.msg)]) {
    errors.push({ path: at, code: p.code, message: `the reminder of \`${n.id}\` renders a msg DingTalk refuses: ${p.message}`, hint: p.hint });
  }
  return { errors, warnings };
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
