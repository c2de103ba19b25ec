import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import pc from 'picocolors';
import type { Diagnostic } from '../core/diagnostics.js';
import { isOverLimit, type RenderedItem } from '../core/rendered.js';
import type { ProjectConfig } from '../core/project.js';
import { lookupCached, storeCached, type CacheSlot } from '../io/validateCache.js';
import { formatRenderSummary } from '../review/renderSummary.js';
import { appendStepSummary } from '../review/stepSummary.js';
import { formatDiagnostics, log, out, projectSources } from './output.js';
import { formatRenderedText } from './renderText.js';
import { cacheEnabled, dingcastVersion } from './validationCache.js';

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
  const slot = cacheable(opts) ? renderSlot(ids) : undefined;
  const version = dingcastVersion();
  let rendered = slot && cacheEnabled(env) ? await lookupCached(projectDir, now, version, slot) : undefined;
  if (!rendered) {
    // Loaded only when the cache cannot answer: the YAML parser, the schemas and the template compiler.
    const { renderFolder } = await import('./renderFolder.js');
    const fresh = await renderFolder(projectDir, ids, opts, now);
    if (!fresh.ok) {
      log(formatDiagnostics(fresh.loadErrors, projectSources(projectDir)));
      log(pc.red('✖ the project has errors; fix them (see `dingcast validate`) before rendering'));
      return 1;
    }
    rendered = { items: fresh.items, problems: fresh.problems, limits: fresh.limits };
    if (slot && cacheEnabled(env)) await storeCached(projectDir, now, version, slot, fresh.inputs, { ...rendered });
  }
  const { items, problems, limits } = rendered;
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
    for (const item of items) out(formatRenderedText(item, limits));
  }
  if (!opts.dryRun && opts.format !== 'html') await writeBuild(projectDir, opts.out ?? 'build', items);
  const oversize = items.filter(isOverLimit);
  return problems.length > 0 || oversize.length > 0 ? 1 : 0;
}

interface Rendered {
  items: RenderedItem[];
  problems: Diagnostic[];
  limits: ProjectConfig['limits'];
}

/**
 * A dry run of notifications as text or JSON is answered from `.dingcast/cache/render.json` while every file it
 * read is unchanged (the rules of io/validateCache.ts, the clock's among them). Not cached: variables from the
 * command line, the HTML page (it reads the media files itself) and a run that writes msg files.
 */
function cacheable(opts: RenderOptions): boolean {
  return opts.dryRun === true && opts.format !== 'html' && opts.example === undefined && opts.var.length === 0 && opts.vars === undefined;
}

function renderSlot(ids: string[]): CacheSlot<Rendered> {
  return {
    name: 'render',
    request: JSON.stringify(ids),
    isValue: (e) => Array.isArray(e.items) && Array.isArray(e.problems) && typeof (e.limits as ProjectConfig['limits'] | null)?.useridsPerCall === 'number',
    value: (e) => ({ items: e.items as RenderedItem[], problems: e.problems as Diagnostic[], limits: e.limits as ProjectConfig['limits'] }),
  };
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

async function writeBuild(projectDir: string, outDir: string, items: RenderedItem[]): Promise<void> {
  const dir = resolve(projectDir, outDir);
  await mkdir(dir, { recursive: true });
  for (const item of items) {
    const name = item.kind === 'template' ? `${item.id}.${item.example ?? 'example'}.json` : `${item.id}.json`;
    await writeFile(join(dir, name), JSON.stringify(item.msg, null, 2) + '\n');
  }
  log(`wrote ${items.length} msg file(s) to ${outDir}/`);
}
