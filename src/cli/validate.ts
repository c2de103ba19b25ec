import pc from 'picocolors';
import { validateProject } from '../core/validate/validateProject.js';
import { loadProjectFrom } from './loadFromDisk.js';
import { loadCalendars } from './schedule.js';
import { annotationPrefix, formatAnnotations } from '../review/annotations.js';
import { isGitHubActions } from '../review/stepSummary.js';
import { formatDiagnostics, log, out, plural } from './output.js';

export async function runValidate(opts: { project: string; format: 'text' | 'json'; now?: Date }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const project = await loadProjectFrom(opts.project);
  const { calendars } = await loadCalendars(opts.project);
  const result = validateProject(project, { now: opts.now ?? new Date() }, calendars);
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
