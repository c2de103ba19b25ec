import pc from 'picocolors';
import { storeValidation, type CachedValidation } from '../io/validateCache.js';
import { annotationPrefix, formatAnnotations } from '../review/annotations.js';
import { isGitHubActions } from '../review/stepSummary.js';
import { formatDiagnostics, log, out, plural, projectSources } from './output.js';
import { cacheEnabled, cachedValidation, dingcastVersion } from './validationCache.js';

/**
 * `dingcast validate`. An unchanged project is answered from `.dingcast/cache/` (see io/validateCache.ts) without
 * loading the YAML parser, the schemas or the template compiler; `DINGCAST_NO_CACHE=1` always validates afresh.
 */
export async function runValidate(opts: { project: string; format: 'text' | 'json'; now?: Date }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const now = opts.now ?? new Date();
  let checked: CachedValidation | undefined = await cachedValidation(opts.project, now, env);
  if (!checked) {
    const { validateFolder } = await import('./validateFolder.js');
    const { project, result, inputs } = await validateFolder(opts.project, now);
    checked = { templates: project.templates.size, notifications: project.notifications.length, result };
    if (cacheEnabled(env)) await storeValidation(opts.project, now, dingcastVersion(), inputs, checked);
  }
  const { result } = checked;
  if (isGitHubActions(env)) {
    // Workflow commands are read from stdout; with --format json they go to stderr so stdout stays JSON.
    const annotations = formatAnnotations([...result.errors, ...result.warnings], annotationPrefix(opts.project, env));
    if (annotations !== '') (opts.format === 'json' ? log : out)(annotations);
  }
  if (opts.format === 'json') {
    out(JSON.stringify({ format: 'dingcast.validate/v1', valid: result.errors.length === 0, ...result }, null, 2));
  } else {
    const all = [...result.errors, ...result.warnings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    if (all.length > 0) out(formatDiagnostics(all, projectSources(opts.project)));
    const counts = `${plural(checked.templates, 'template')}, ${plural(checked.notifications, 'notification')}`;
    if (result.errors.length > 0) {
      out(pc.red(`✖ ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')} (${counts} checked)`));
    } else {
      out(pc.green(`✔ valid: ${counts}${result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')}` : ''}`));
    }
  }
  return result.errors.length > 0 ? 1 : 0;
}
