/** A problem found in a project file. Validation returns these as data; only the CLI prints them. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable code, e.g. `schema/additional-property`, `msg/too-large`; scripts and tests key on it. */
  code: string;
  /** Path relative to the project root, with forward slashes. */
  file: string;
  /** 1-based; 0 when the problem has no position in the file (e.g. a missing file). */
  line: number;
  column: number;
  message: string;
  /** How to fix it. */
  hint?: string;
  /** false: do not print the source line under it (a data row may hold sensitive values, e.g. a salary). */
  frame?: false;
}

export interface ValidationResult {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/** Columns a character takes in a terminal: CJK and full-width forms take two, so the caret lines up under them. */
function charWidth(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd);
  return wide ? 2 : 1;
}

const FRAME_WIDTH = 100;

/**
 * The source line of a diagnostic with a caret under its column:
 *
 *     17 |       Today is {{title}}
 *        |                         ^
 *
 * Tabs show as `→` (one column) so the caret stays aligned and the tab is visible; a long line is cut to a
 * window around the column. Empty when the position is not in the text.
 */
export function codeFrame(text: string, line: number, column: number): string {
  const lines = text.split('\n');
  const source = lines[line - 1];
  if (line < 1 || source === undefined) return '';
  const chars = [...source.replace(/\r$/, '')];
  let start = 0;
  let col = Math.max(1, Math.min(column, chars.length + 1));
  if (chars.length > FRAME_WIDTH) {
    start = Math.max(0, Math.min(col - 1 - FRAME_WIDTH / 2, chars.length - FRAME_WIDTH));
    col -= start;
  }
  const shown = chars.slice(start, start + FRAME_WIDTH).map((ch) => (ch === '\t' ? '→' : ch));
  const width = (s: string[]): number => s.reduce((w, ch) => w + charWidth(ch), 0);
  const gutter = String(line);
  const pad = ' '.repeat(gutter.length);
  const prefix = start > 0 ? '…' : '';
  const suffix = start + FRAME_WIDTH < chars.length ? '…' : '';
  const caretAt = width(shown.slice(0, col - 1)) + (prefix ? 1 : 0);
  return `${gutter} | ${prefix}${shown.join('')}${suffix}\n${pad} | ${' '.repeat(caretAt)}^`;
}
