import pc from 'picocolors';
import type { Diagnostic } from '../core/diagnostics.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import { fsUserError } from '../io/fsError.js';

/** Logs and progress go to stderr, results to stdout (design.md §2). */
export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
};
export const log = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
};

/** Known errors print one clean line and a hint; anything else is a bug and keeps its stack. */
export function printError(thrown: unknown): number {
  const e = fsUserError(thrown) ?? thrown;
  if (e instanceof UserError) {
    log(`${pc.red('error')} ${e.message}`);
    if (e.hint) log(`  ${pc.dim('hint:')} ${e.hint}`);
    return 2;
  }
  if (e instanceof DingTalkError || e instanceof TransportError) {
    log(`${pc.red('error')} ${e.message}`);
    return 2;
  }
  log(`${pc.red('internal error')} (a bug in dingcast; please report it)`);
  log(e instanceof Error ? (e.stack ?? e.message) : String(e));
  return 2;
}

/** Diagnostics grouped by file; each line starts with file:line:column so terminals and editors can jump to it. */
export function formatDiagnostics(list: Diagnostic[]): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of list) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const lines: string[] = [];
  for (const [file, items] of byFile) {
    lines.push(pc.underline(file));
    for (const d of items) {
      const where = d.line > 0 ? `${file}:${d.line}:${d.column}` : file;
      const sev = d.severity === 'error' ? pc.red('error') : pc.yellow('warning');
      lines.push(`  ${where} ${sev} ${pc.dim(d.code)} ${d.message}`);
      if (d.hint) lines.push(`    ${pc.dim('hint:')} ${d.hint}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
