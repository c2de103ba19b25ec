import type { Diagnostic } from '../diagnostics.js';
import { checkProjectPath } from '../load/projectPath.js';
import type { ProjectFiles, Vars } from '../project.js';
import { decodeText, parseDataFile, rowWhere, type DataRow } from './dataFile.js';

/** One person's row of an `each:` file: who gets it, where it is written, and the variables it renders with. */
export interface EachRow {
  /** 1-based line the row starts on (0 for a JSON/YAML list, whose rows have no line). */
  line: number;
  /** 1-based position among the rows. */
  index: number;
  /** Who gets it: the key cell, or `mobile:…` for `key: mobile` until the plan resolves it to a userid. */
  userid: string;
  /** The row's fields (the key column included), with numbers and booleans typed as the template declares them. */
  fields: Vars;
}

/** `each: { file, key }`: one message per row (design.md §8). */
export interface EachSource {
  file: string;
  key: string;
  rows: EachRow[];
  columns: string[];
  /** The decoded file text, to point a diagnostic at a cell's column; kept out of every output. */
  text: string;
}

/**
 * Reads an `each:` data file into rows. Problems name the file and the row's line: an unreadable or malformed
 * file, a missing key column, a row without a userid, and a userid on two rows (it would get two messages where
 * one was meant, and the second would overwrite the first in the ledger's per-person view).
 */
export function readEachFile(each: { file: string; key?: string }, files: ProjectFiles, declaredTypes: Record<string, string>, report: (d: Diagnostic) => void, problem: (code: string, message: string, hint: string) => void): EachSource | undefined {
  const key = each.key ?? 'userid';
  const checked = checkProjectPath(each.file);
  if (!checked.ok) {
    problem('path/outside-project', `each.file: ${checked.message}`, checked.hint);
    return undefined;
  }
  const entry = files.dataFiles?.get(each.file);
  if (!entry?.bytes) {
    problem('each/unreadable', `each.file \`${each.file}\` cannot be read${entry?.error ? `: ${entry.error}` : ''}`, 'The path is relative to the project folder; check that the file exists.');
    return undefined;
  }
  const file = each.file;
  const parsed = parseDataFile(file, entry.bytes, key);
  if (!parsed.ok) {
    report({ severity: 'error', code: 'each/bad-file', file, line: parsed.line ?? 1, column: 1, message: parsed.message, hint: parsed.hint, frame: false });
    return undefined;
  }
  if (/\.txt$/i.test(file)) {
    problem('each/bad-file', `each.file \`${file}\` must hold one row of fields per person`, 'Use a .csv with a header row (userid,name,net,…) or a .json/.yaml list of objects.');
    return undefined;
  }
  if (parsed.warning) report({ severity: 'warning', code: 'each/encoding', file, line: 0, column: 0, message: `${file} ${parsed.warning}` });
  if (!parsed.columns.includes(key)) {
    report({ severity: 'error', code: 'each/no-key-column', file, line: 1, column: 1, message: `${file} has no \`${key}\` column (columns: ${parsed.columns.join(', ') || 'none'})`, hint: `Name the header of the recipients' column \`${key}\`, or set \`each.key\` to the column that holds the userids.`, frame: false });
    return undefined;
  }
  const text = decodeText(entry.bytes).text;
  const rows: EachRow[] = [];
  const firstLine = new Map<string, DataRow>();
  for (const row of parsed.rows) {
    const raw = row.fields[key];
    const userid = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim() : '';
    const at = { file, line: row.line, column: columnOf(text, row.line, parsed.columns.indexOf(key)), frame: false } as const;
    if (userid === '') {
      report({ severity: 'error', code: 'each/empty-key', ...at, message: `${rowLabel(file, row)}: empty \`${key}\``, hint: 'Every row names the person it is for; delete blank rows.' });
      continue;
    }
    const earlier = firstLine.get(userid);
    if (earlier) {
      report({ severity: 'error', code: 'each/duplicate-key', ...at, message: `${rowLabel(file, row)}: \`${userid}\` already has a row (${rowWhere(file, earlier)}); one message per person`, hint: 'Merge the two rows, or delete one of them.' });
      continue;
    }
    firstLine.set(userid, row);
    // A `mobile` key names people by phone number: `mobile:…` until the plan resolves it (directory, then getbymobile).
    rows.push({ line: row.line, index: row.index, userid: key === 'mobile' ? `mobile:${userid}` : userid, fields: typedFields(row.fields, declaredTypes) });
  }
  return { file, key, rows, columns: parsed.columns, text };
}

/** How a message names a row whose diagnostic already carries file:line: "row", else "data/x.json item 3". */
export function rowLabel(file: string, row: { line: number; index: number }): string {
  return row.line > 0 ? 'row' : `${file} item ${row.index}`;
}

/**
 * A CSV cell is text; a template that declares `type: number` (a score) or `boolean` gets the value typed, so
 * `{{#if (gt score 60)}}` works and the variables schema checks numbers as numbers. An empty cell of a typed
 * column is left out, so `required` says it is missing instead of "must be a number".
 */
function typedFields(fields: Record<string, unknown>, declaredTypes: Record<string, string>): Vars {
  const out: Vars = {};
  for (const [name, value] of Object.entries(fields)) {
    const type = declaredTypes[name];
    if (typeof value !== 'string' || type === undefined || type === 'string') {
      out[name] = value;
      continue;
    }
    const v = value.trim();
    if (v === '') continue;
    if ((type === 'number' || type === 'integer') && /^-?\d+(\.\d+)?$/.test(v)) out[name] = Number(v);
    else if (type === 'boolean' && (v === 'true' || v === 'false')) out[name] = v === 'true';
    else out[name] = value;
  }
  return out;
}

/** The top-level `type` of each declared variable, for typing CSV cells. */
export function declaredTypes(variables: Record<string, unknown> | undefined): Record<string, string> {
  const props = (variables?.properties as Record<string, { type?: unknown }> | undefined) ?? {};
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(props)) if (typeof schema?.type === 'string') out[name] = schema.type;
  return out;
}

/**
 * 1-based character column of the `field`-th cell (0-based) on a CSV line, counting commas outside quotes; 1
 * when unknown (a JSON/YAML row, or a field past the line's end).
 */
export function columnOf(text: string, line: number, field: number): number {
  if (line <= 0 || field <= 0) return 1;
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return 1;
    start = next + 1;
  }
  let quoted = false;
  let seen = 0;
  for (let i = start; i < text.length && text[i] !== '\n'; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted && ++seen === field) return i - start + 2;
  }
  return 1;
}
