import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { codeFrame, type Diagnostic } from '../core/diagnostics.js';
import { DingTalkError, TransportError, UserError } from '../errors.js';
import { fsUserError } from '../io/fsError.js';

/** Logs and progress go to stderr, results to stdout (design.md §2). */
export const out = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : text + '\n');
};
export const log = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : text + '\n');
};

/**
 * `dingcast validate | head` closes the pipe while we still write. Node then emits EPIPE on the stream, and with
 * no listener that is an uncaught exception with a stack. The reader has gone, so what we would print has nowhere
 * to go: drop it and let the command finish its work (a send that is half done must still record its answers and
 * write its reports). Any other stream error is still a bug and stays loud.
 */
export function ignoreClosedPipes(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
      throw e;
    });
  }
}

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

/** Reads a project's files for code frames; a file that cannot be read just gets no frame. */
export function projectSources(projectDir: string): (file: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(join(projectDir, file), 'utf8'));
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

/**
 * Diagnostics grouped by file; each line starts with file:line:column so terminals and editors can jump to it,
 * followed by the source line with a caret under the column when the file's text is at hand.
 */
export function formatDiagnostics(list: Diagnostic[], sourceOf: (file: string) => string | undefined = () => undefined): string {
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of list) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  const lines: string[] = [];
  for (const [file, items] of byFile) {
    lines.push(pc.underline(file));
    for (const d of items) {
      const where = d.line > 0 ? `${file}:${d.line}:${d.column}` : file;
      const sev = d.severity === 'error' ? pc.red('error') : pc.yellow('warning');
      lines.push(`  ${where} ${sev} ${pc.dim(d.code)} ${d.message}`);
      const text = d.line > 0 && d.frame !== false ? sourceOf(file) : undefined;
      const frame = text !== undefined ? codeFrame(text, d.line, d.column) : '';
      if (frame !== '') lines.push(...frame.split('\n').map((l) => `    ${pc.dim(l.slice(0, l.indexOf('|') + 1))}${l.slice(l.indexOf('|') + 1)}`));
      if (d.hint) lines.push(`    ${pc.dim('hint:')} ${d.hint}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
