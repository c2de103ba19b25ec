import type { RenderError } from './types.js';

/** Where inside one template string a problem is: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Handlebars locations: 1-based lines, 0-based columns. */
export interface HbLoc {
  start: { line: number; column: number };
}

/** Thrown by our helpers during a render; the tree walker turns it into a RenderError with the template path. */
export class RenderFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly loc?: HbLoc,
    readonly hint?: string,
  ) {
    super(message);
  }
}

export function positionOf(loc: HbLoc | undefined): Position | undefined {
  return loc ? { line: loc.start.line, column: loc.start.column + 1 } : undefined;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(msg)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.');
}

export function makeError(
  code: string,
  path: readonly (string | number)[],
  message: string,
  pos?: Position,
  hint?: string,
): RenderError {
  const where = pos ? ` (${formatPath(path)} ${pos.line}:${pos.column})` : ` (${formatPath(path)})`;
  const err: RenderError = { code, path: [...path], message: message + where };
  if (pos) {
    err.line = pos.line;
    err.column = pos.column;
  }
  if (hint !== undefined) err.hint = hint;
  return err;
}

interface HbException {
  message: string;
  lineNumber?: number;
  column?: number;
}

/** Turns whatever a leaf's render threw into a RenderError: our failures keep their code, the rest are helper errors. */
export function errorFromThrown(thrown: unknown, path: readonly (string | number)[], suffix: string): RenderError {
  if (thrown instanceof RenderFailure) {
    return makeError(thrown.code, path, thrown.message + suffix, positionOf(thrown.loc), thrown.hint);
  }
  const e = thrown as HbException;
  const message = String(e?.message ?? thrown).replace(/ - \d+:\d+$/, '');
  const pos = typeof e?.lineNumber === 'number' ? { line: e.lineNumber, column: (e.column ?? 0) + 1 } : undefined;
  return makeError('render/helper-error', path, message + suffix, pos);
}
