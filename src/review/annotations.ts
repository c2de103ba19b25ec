import { posix, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../core/diagnostics.js';

/**
 * GitHub workflow commands (`::error file=…,line=…,col=…,title=…::message`) that put each diagnostic on the
 * pull request's changed lines. `pathPrefix` is the project folder relative to the repository root, because
 * diagnostics name files relative to the project and GitHub wants them relative to the checkout.
 */
export function formatAnnotations(list: Diagnostic[], pathPrefix = ''): string {
  return list.map((d) => formatAnnotation(d, pathPrefix)).join('\n') + (list.length > 0 ? '\n' : '');
}

export function formatAnnotation(d: Diagnostic, pathPrefix = ''): string {
  const props = [`file=${escapeProperty(posix.join(pathPrefix, d.file))}`];
  if (d.line > 0) props.push(`line=${d.line}`, `col=${Math.max(1, d.column)}`);
  props.push(`title=${escapeProperty(`dingcast ${d.code}`)}`);
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(message)}`;
}

/** The project folder relative to the checkout (`GITHUB_WORKSPACE`, else the current folder), with forward slashes. */
export function annotationPrefix(projectDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const rel = relative(resolve(env.GITHUB_WORKSPACE ?? process.cwd()), resolve(projectDir));
  return rel === '' ? '' : rel.split(sep).join('/');
}

// Escaping as the Actions toolkit does it (@actions/core command.ts).
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
