import type { Position } from './errors.js';

interface ThrownParseError {
  message?: unknown;
  lineNumber?: unknown;
  column?: unknown;
}

export interface SyntaxProblem {
  message: string;
  pos?: Position;
}

/**
 * Handlebars reports two kinds of syntax errors. Its own Exceptions carry `lineNumber`/`column`; the jison
 * parser's only carry text ("Parse error on line 3:\n...past text|upcoming\n-----^\nExpecting ..."), so we
 * find the column by matching the excerpt before the caret against the source.
 */
export function describeSyntaxError(thrown: unknown, source: string): SyntaxProblem {
  const e = (thrown ?? {}) as ThrownParseError;
  const raw = typeof e.message === 'string' ? e.message : String(thrown);
  if (typeof e.lineNumber === 'number') {
    const column = typeof e.column === 'number' ? e.column + 1 : 1;
    return { message: raw.replace(/ - \d+:\d+$/, ''), pos: { line: e.lineNumber, column } };
  }
  const head = /^(?:Parse|Lexical) error on line (\d+)[:.]/.exec(raw);
  const lines = raw.split('\n');
  const expecting = lines.find((l) => l.startsWith('Expecting ')) ?? lines[0] ?? raw;
  const message = `Handlebars syntax error: ${expecting}`;
  if (!head) return { message };
  const line = Number(head[1]);
  const caretLine = lines.findIndex((l) => /^-*\^$/.test(l));
  const excerpt = caretLine > 0 ? lines[caretLine - 1] : undefined;
  const caret = caretLine > 0 ? (lines[caretLine] ?? '').length - 1 : -1;
  const column = excerpt === undefined ? undefined : findColumn(source, line, excerpt.slice(0, caret));
  return { message, pos: { line, column: column ?? 1 } };
}

/** jison prints up to 20 chars of the consumed input, newlines removed, with `...` when cut. */
function findColumn(source: string, line: number, past: string): number | undefined {
  const tail = past.startsWith('...') ? past.slice(3) : past;
  const sourceLines = source.split('\n');
  const lineText = sourceLines[line - 1];
  if (lineText === undefined) return undefined;
  const before = sourceLines.slice(0, line - 1).join('');
  for (let col = 0; col <= lineText.length; col++) {
    if ((before + lineText.slice(0, col)).endsWith(tail)) return col + 1;
  }
  return undefined;
}
