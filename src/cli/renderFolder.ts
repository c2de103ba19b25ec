import { resolve } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';
import { describeRendered, type RenderedItem } from '../core/rendered.js';
import type { Project, ProjectConfig, Vars } from '../core/project.js';
import { parseYamlValue } from '../core/load/yamlSource.js';
import { renderNotification, renderTemplate } from '../core/renderNotification.js';
import { eachSample } from '../core/recipients/sample.js';
import { checkVars } from '../core/validate/variables.js';
import { UserError } from '../errors.js';
import { readTextFile } from '../io/readText.js';
import type { ValidationInputs } from '../io/validateCache.js';
import { inputsOf, readProjectFolder } from './loadFromDisk.js';
import type { RenderOptions } from './render.js';

/** What `dingcast render` renders, before any printing; `inputs`: every file and folder the answer depends on. */
export type FolderRender =
  | { ok: false; loadErrors: Diagnostic[] }
  | { ok: true; items: RenderedItem[]; problems: Diagnostic[]; limits: ProjectConfig['limits']; inputs: ValidationInputs };

/** Read the folder and render what `ids` and `opts` ask for (loaded only when the render cache cannot answer). */
export async function renderFolder(projectDir: string, ids: string[], opts: RenderOptions, now: Date): Promise<FolderRender> {
  const side = await readProjectFolder(projectDir, now);
  const { project } = side;
  const loadErrors = project.diagnostics.filter((d) => d.severity === 'error');
  if (loadErrors.length > 0) return { ok: false, loadErrors };
  const templateMode = opts.example !== undefined || opts.var.length > 0 || opts.vars !== undefined;
  const items: RenderedItem[] = [];
  const problems: Diagnostic[] = [];
  if (templateMode) {
    if (ids.length === 0) throw new UserError('name the template to render', 'e.g. `dingcast render release-note --example typical --dry-run`.');
    const cliVars = readCliVars(projectDir, opts);
    for (const id of ids) items.push(...renderTemplateById(project, id, opts.example, cliVars, now, problems));
  } else {
    const wanted = ids.length > 0 ? ids : project.notifications.map((n) => n.id);
    for (const id of wanted) {
      const n = project.notifications.find((x) => x.id === id);
      if (!n) {
        if (project.templates.has(id)) {
          items.push(...renderTemplateById(project, id, undefined, undefined, now, problems));
          continue;
        }
        throw new UserError(`no notification or template named \`${id}\``, `Known notifications: ${project.notifications.map((x) => x.id).join(', ') || '(none)'}.`);
      }
      // One message per row: the first row, sensitive values masked, stands for them (`send --dry-run` counts them).
      const sample = n.each ? eachSample(project, n, { now }) : undefined;
      const template = project.templates.get(n.templateId);
      if (sample && template) {
        items.push(describeRendered(project, 'notification', n.id, template, sample, n));
        continue;
      }
      const r = renderNotification(project, n, { now });
      if (!r.ok) {
        problems.push(...r.errors.map((e) => renderDiagnostic(id, e.code, e.message)));
        continue;
      }
      items.push(describeRendered(project, 'notification', n.id, r.template, r.msg, n));
    }
  }
  return { ok: true, items, problems, limits: project.config.limits, inputs: inputsOf(side) };
}

function renderTemplateById(project: Project, id: string, example: string | undefined, cliVars: Vars | undefined, now: Date, problems: Diagnostic[]): RenderedItem[] {
  const t = project.templates.get(id);
  if (!t) throw new UserError(`no template named \`${id}\``, `Known templates: ${[...project.templates.keys()].join(', ')}.`);
  const names = example !== undefined ? [example] : cliVars ? ['vars'] : Object.keys(t.examples).slice(0, 1);
  if (names.length === 0) throw new UserError(`template \`${id}\` has no examples`, 'Pass variables with --var k=v or --vars FILE.');
  const items: RenderedItem[] = [];
  for (const name of names) {
    // Own keys only: `--example __proto__` or `constructor` must not find Object.prototype.
    const base = name === 'vars' && cliVars ? {} : Object.hasOwn(t.examples, name) ? t.examples[name] : undefined;
    if (!base) throw new UserError(`template \`${id}\` has no example \`${name}\``, `Its examples: ${Object.keys(t.examples).join(', ') || '(none)'}.`);
    const vars = { ...base, ...(cliVars ?? {}) };
    // Values from the command line meet the same `variables` schema as examples and notifications.
    const varProblems = cliVars ? checkVars(t, vars) : [];
    if (varProblems.length > 0) {
      problems.push(...varProblems.map((p) => ({ severity: 'error' as const, code: p.code, file: '(command line)', line: 0, column: 0, message: `${id}: ${p.path.length > 0 ? p.path.join('.') + ': ' : ''}${p.message}`, hint: p.hint ?? `See variables in ${t.source.file}.` })));
      continue;
    }
    const r = renderTemplate(t, vars, { now, timezone: project.config.timezone, notification: id, runId: '(preview)' });
    if (!r.ok) {
      problems.push(...r.errors.map((e) => ({ ...renderDiagnostic(id, e.code, e.message), file: t.source.file, hint: e.hint ?? `Check variables in ${t.source.file}.` })));
      continue;
    }
    items.push(describeRendered(project, 'template', id, t, r.msg, undefined, name));
  }
  return items;
}

function renderDiagnostic(id: string, code: string, message: string): Diagnostic {
  return { severity: 'error', code, file: 'notifications.yaml', line: 0, column: 0, message: `${id}: ${message}`, hint: 'Run `dingcast validate` for positions and fixes.' };
}

function readCliVars(projectDir: string, opts: RenderOptions): Vars | undefined {
  let vars: Vars = {};
  if (opts.vars !== undefined) {
    const read = readTextFile(resolve(projectDir, opts.vars));
    if (!read.ok) throw new UserError(`cannot read --vars file ${opts.vars}${read.line > 0 ? `:${read.line}:${read.column}` : ''}: ${read.message}`, read.missing ? 'The path is relative to the project folder.' : read.hint);
    const v = yamlValueOrThrow(`--vars file ${opts.vars}`, opts.vars, read.text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UserError(`--vars file ${opts.vars} must hold an object`);
    vars = v as Vars;
  }
  for (const kv of opts.var) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UserError(`--var \`${kv}\` is not key=value`, 'e.g. --var service=api');
    vars[kv.slice(0, eq)] = yamlValueOrThrow(`--var \`${kv}\``, '--var', kv.slice(eq + 1));
  }
  return opts.vars === undefined && opts.var.length === 0 ? undefined : vars;
}

/** A value from the command line: the same strict YAML as project files (no duplicate keys, no alias bombs). */
function yamlValueOrThrow(what: string, file: string, text: string): unknown {
  const parsed = parseYamlValue(file, text);
  if (parsed.ok) return parsed.value;
  const first = parsed.diagnostics[0];
  const where = first && file !== '--var' ? ` at line ${first.line}, column ${first.column}` : '';
  throw new UserError(`${what} is not valid YAML${where}: ${first?.message ?? 'parse error'}`, file === '--var' ? 'The value after = is read as YAML; quote it to pass text, e.g. --var \'name="["\'.' : (first?.hint ?? 'Fix the syntax of that file.'));
}

