import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import pc from 'picocolors';
import type { Diagnostic } from '../core/diagnostics.js';
import { describeRendered, isOverLimit, type RenderedItem } from '../core/rendered.js';
import type { Project, Vars } from '../core/project.js';
import { parseYamlValue } from '../core/load/yamlSource.js';
import { renderNotification, renderTemplate } from '../core/renderNotification.js';
import { eachSample } from '../core/recipients/sample.js';
import { checkVars } from '../core/validate/variables.js';
import { UserError } from '../errors.js';
import { readTextFile } from '../io/readText.js';
import { formatRenderSummary } from '../review/renderSummary.js';
import { appendStepSummary } from '../review/stepSummary.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { formatDiagnostics, log, out, projectSources } from './output.js';
import { formatRenderedText } from './renderText.js';

export interface RenderOptions {
  dryRun?: boolean;
  all?: boolean;
  example?: string;
  var: string[];
  vars?: string;
  format: 'text' | 'json' | 'html';
  /** Without --dry-run: the folder for msg files (default `build`); with --format html: the page file. */
  out?: string;
  at?: Date;
}

export async function runRender(projectDir: string, ids: string[], opts: RenderOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.at ?? new Date();
  const project = await loadProjectFrom(projectDir, now);
  const loadErrors = project.diagnostics.filter((d) => d.severity === 'error');
  if (loadErrors.length > 0) {
    log(formatDiagnostics(loadErrors, projectSources(projectDir)));
    log(pc.red('✖ the project has errors; fix them (see `dingcast validate`) before rendering'));
    return 1;
  }
  const templateMode = opts.example !== undefined || opts.var.length > 0 || opts.vars !== undefined;
  const items: RenderedItem[] = [];
  const problems: Diagnostic[] = [];
  if (templateMode) {
    if (ids.length === 0) throw new UserError('name the template to render', 'e.g. `dingcast render release-note --example typical --dry-run`.');
    const cliVars = await readCliVars(projectDir, opts);
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
  if (problems.length > 0) log(formatDiagnostics(problems, projectSources(projectDir)));
  await appendStepSummary(formatRenderSummary(items), env);
  if (opts.format === 'html') {
    // A preview format: the page is the output; msg files are not written.
    // Loaded only here: the page's Markdown renderer (markdown-it) is not needed for text or JSON output.
    const { buildPreviewPage } = await import('../review/previewPage.js');
    const media = await localMediaForPreview(projectDir, items);
    await writeHtmlPreview(projectDir, opts.out, buildPreviewPage(items, { generatedAt: now.toISOString(), problems, media: (id) => media.get(id) }));
  } else if (opts.format === 'json') {
    out(JSON.stringify({ format: 'dingcast.render/v1', dry_run: opts.dryRun === true, items }, null, 2));
  } else {
    for (const item of items) out(formatRenderedText(item, project.config.limits));
  }
  if (!opts.dryRun && opts.format !== 'html') await writeBuild(projectDir, opts.out ?? 'build', items);
  const oversize = items.filter(isOverLimit);
  return problems.length > 0 || oversize.length > 0 ? 1 : 0;
}

const IMAGE_MIME: Partial<Record<string, string>> = { jpg: 'image/jpeg', png: 'image/png', gif: 'image/gif', bmp: 'image/bmp' };

/**
 * The local files the previewed messages name: an image is embedded as a data: URL (the page stays one
 * self-contained file), a file or voice is shown by its name and size. Only files validation found inside the project.
 */
async function localMediaForPreview(projectDir: string, items: RenderedItem[]): Promise<Map<string, { src?: string; name: string; label: string }>> {
  const out = new Map<string, { src?: string; name: string; label: string }>();
  for (const { media: m } of items) {
    if (!m?.file || out.has(m.ref)) continue;
    const label = `${m.file} · ${m.bytes ?? 0} bytes — uploaded when sent`;
    const mime = m.type === 'image' && m.format ? IMAGE_MIME[m.format] : undefined;
    const bytes = mime ? await readFile(resolve(projectDir, m.file)).catch(() => undefined) : undefined;
    out.set(m.ref, { ...(bytes && mime ? { src: `data:${mime};base64,${bytes.toString('base64')}` } : {}), name: basename(m.file), label });
  }
  return out;
}

async function writeHtmlPreview(projectDir: string, outFile: string | undefined, page: string): Promise<void> {
  if (outFile === undefined) {
    out(page);
    return;
  }
  // Relative to the project folder, like the msg-file folder and --vars.
  const file = resolve(projectDir, outFile);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, page);
  log(`wrote the preview to ${outFile}`);
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

async function readCliVars(projectDir: string, opts: RenderOptions): Promise<Vars | undefined> {
  let vars: Vars = {};
  if (opts.vars !== undefined) {
    const read = await readTextFile(resolve(projectDir, opts.vars));
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

async function writeBuild(projectDir: string, outDir: string, items: RenderedItem[]): Promise<void> {
  const dir = resolve(projectDir, outDir);
  await mkdir(dir, { recursive: true });
  for (const item of items) {
    const name = item.kind === 'template' ? `${item.id}.${item.example ?? 'example'}.json` : `${item.id}.json`;
    await writeFile(join(dir, name), JSON.stringify(item.msg, null, 2) + '\n');
  }
  log(`wrote ${items.length} msg file(s) to ${outDir}/`);
}
