import pc from 'picocolors';
import type { ValidationResult } from '../core/diagnostics.js';
import type { Project } from '../core/project.js';
import { validateProject } from '../core/validate/validateProject.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { loadCalendars } from './schedule.js';
import { annotationPrefix, formatAnnotations } from '../review/annotations.js';
import { isGitHubActions } from '../review/stepSummary.js';
import { formatDiagnostics, log, out, plural } from './output.js';

/** What `dingcast validate` checks, without printing: the project folder read, loaded and validated as of `now`. */
export async function validateFolder(dir: string, now: Date): Promise<{ project: Project; result: ValidationResult }> {
  const project = await loadProjectFrom(dir);
  const { calendars } = await loadCalendars(dir);
  return { project, result: validateProject(project, { now }, calendars) };
}

export async function runValidate(opts: { project: string; format: 'text' | 'json'; now?: Date }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { project, result } = await validateFolder(opts.project, opts.now ?? new Date());
  if (isGitHubActions(env)) {
    // Workflow commands are read from stdout; with --format json they go to stderr so stdout stays JSON.
    const annotations = formatAnnotations([...result.errors, ...result.warnings], annotationPrefix(opts.project, env));
    if (annotations !== '') (opts.format === 'json' ? log : out)(annotations);
  }
  if (opts.format === 'json') {
    out(JSON.stringify({ format: 'dingcast.validate/v1', valid: result.errors.length === 0, ...result }, null, 2));
  } else {
    const all = [...result.errors, ...result.warnings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    if (all.length > 0) out(formatDiagnostics(all));
    const counts = `${plural(project.templates.size, 'template')}, ${plural(project.notifications.length, 'notification')}`;
    if (result.errors.length > 0) {
      out(pc.red(`✖ ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')} (${counts} checked)`));
    } else {
      out(pc.green(`✔ valid: ${counts}${result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')}` : ''}`));
    }
  }
  return result.errors.length > 0 ? 1 : 0;
}
