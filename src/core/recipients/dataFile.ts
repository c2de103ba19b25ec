import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';

/** One row of a data file (a users_file or an each.file), with the line it starts on (1-based; 0 when unknown). */
export interface DataRow {
  line: number;
  /** 1-based position among the rows. */
  index: number;
  fields: Record<string, unknown>;
}

export type DataFileResult = { ok: true; rows: DataRow[]; columns: string[]; warning?: string } | { ok: false; message: string; hint: string; line?: number };

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a data file: UTF-8 with or without a BOM; anything else is read as GB18030 (a superset of GBK), the
 * encoding Excel uses for "CSV" on Chinese Windows, and said so in a warning.
 */
export function decodeText(bytes: Uint8Array): { text: string; warning?: string } {
  try {
    return { text: stripBom(UTF8.decode(bytes)) };
  } catch {
    const text = new TextDecoder('gb18030').decode(bytes);
    return { text, warning: 'is not UTF-8; read it as GBK (what Excel saves as "CSV" on Chinese Windows). Save it as "CSV UTF-8" to be sure.' };
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/**
 * Parses a data file by its extension — as data (JSON.parse, csv-parse, plain YAML), never through the
 * position-keeping YAML parser: a million rows must plan in seconds. `.txt` holds one value per line under
 * the column name `defaultColumn`.
 */
export function parseDataFile(file: string, bytes: Uint8Array, defaultColumn: string): DataFileResult {
  const { text, warning } = decodeText(bytes);
  const ext = /\.([a-z]+)$/i.exec(file)?.[1]?.toLowerCase();
  const done = (rows: DataRow[], columns: string[]): DataFileResult => ({ ok: true, rows, columns, ...(warning ? { warning } : {}) });
  try {
    switch (ext) {
      case 'csv':
        return csvRows(text, done);
      case 'txt': {
        const rows: DataRow[] = [];
        const lines = text.split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const v = lines[i]!.trim();
          if (v !== '' && !v.startsWith('#')) rows.push({ line: i + 1, index: rows.length + 1, fields: { [defaultColumn]: v } });
        }
        return done(rows, [defaultColumn]);
      }
      case 'json':
        return listRows(JSON.parse(text) as unknown, defaultColumn, done);
      case 'yaml':
      case 'yml':
        return listRows(parseYaml(text) as unknown, defaultColumn, done);
      default:
        return { ok: false, message: `cannot read ${file}: unknown file type`, hint: 'Use .csv (with a header row), .json, .yaml or .txt (one per line).' };
    }
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { ok: false, message: `${file} is not valid ${ext?.toUpperCase() ?? ''}: ${err.message.split('\n')[0] ?? ''}`, hint: 'Fix the file; a CSV needs a header row and one record per line.', ...(err.lines ? { line: err.lines } : {}) };
  }
}

function csvRows(text: string, done: (rows: DataRow[], columns: string[]) => DataFileResult): DataFileResult {
  const plain = plainCsv(text);
  if (plain) return done(plain.rows, plain.header);
  const records = parseCsv(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as unknown as { record: string[]; info: { lines: number } }[];
  const header = records[0]?.record ?? [];
  const rows: DataRow[] = new Array<DataRow>(Math.max(0, records.length - 1));
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!;
    const fields: Record<string, unknown> = {};
    for (let c = 0; c < header.length; c++) fields[header[c]!] = record[c];
    // info.lines is the line the record ends on; a quoted cell may span lines, so count its newlines back.
    rows[i - 1] = { line: info.lines - countNewlines(record), index: i, fields };
  }
  return done(rows, header);
}

const EDGE_SPACE = /^[ \t\f]|[ \t\f]$/;
const EDGE_SPACES = /^[ \t\f]+|[ \t\f]+$/g;

/**
 * A CSV without quotes (most exported lists of people) is its lines split at commas: read so, a million rows take
 * a fraction of csv-parse's time and memory (its per-record `info`, which gives the lines, is most of both).
 * Undefined — csv-parse reads it, and says what is wrong at its line — for anything else: quotes, a lone CR,
 * a line of blanks, or a row whose number of cells differs from the header's.
 */
function plainCsv(text: string): { header: string[]; rows: DataRow[] } | undefined {
  if (text.includes('"') || /\r(?!\n)/.test(text)) return undefined;
  const lines = text.split('\n');
  let header: string[] | undefined;
  const rows: DataRow[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    const cells = line.split(',');
    for (let c = 0; c < cells.length; c++) if (EDGE_SPACE.test(cells[c]!)) cells[c] = cells[c]!.replace(EDGE_SPACES, '');
    if (cells.length === 1 && cells[0] === '') return undefined;
    if (!header) {
      header = cells;
      continue;
    }
    if (cells.length !== header.length) return undefined;
    const fields: Record<string, unknown> = {};
    for (let c = 0; c < header.length; c++) fields[header[c]!] = cells[c];
    rows.push({ line: i + 1, index: rows.length + 1, fields });
  }
  return { header: header ?? [], rows };
}

/** One column of a data file, each row's cell with its line (0 when unknown): a users_file needs no more. */
export type DataColumnResult = { ok: true; columns: string[]; column: string | undefined; cells: unknown[]; lines: number[]; warning?: string } | { ok: false; message: string; hint: string; line?: number };

/**
 * parseDataFile's rows reduced to the column `pick` chooses from the header. A CSV without quotes is read without
 * building a row object per line: for a million recipients those objects were most of the reading time and the
 * collector's. Anything plainCsv would hand to csv-parse goes through parseDataFile, so both read a file alike.
 */
export function parseDataColumn(file: string, bytes: Uint8Array, defaultColumn: string, pick: (columns: string[]) => string | undefined): DataColumnResult {
  if (/\.csv$/i.test(file)) {
    const { text, warning } = decodeText(bytes);
    const plain = plainColumn(text, pick);
    if (plain) return { ok: true, ...plain, ...(warning ? { warning } : {}) };
  }
  const parsed = parseDataFile(file, bytes, defaultColumn);
  if (!parsed.ok) return parsed;
  const column = pick(parsed.columns);
  const cells = column === undefined ? [] : parsed.rows.map((r) => r.fields[column]);
  const lines = column === undefined ? [] : parsed.rows.map((r) => r.line);
  return { ok: true, columns: parsed.columns, column, cells, lines, ...(parsed.warning ? { warning: parsed.warning } : {}) };
}

function plainColumn(text: string, pick: (columns: string[]) => string | undefined): { columns: string[]; column: string | undefined; cells: string[]; lines: number[] } | undefined {
  if (text.includes('"') || /\r(?!\n)/.test(text)) return undefined;
  const all = text.split('\n');
  let header: string[] | undefined;
  let at = -1;
  const cells: string[] = [];
  const lines: number[] = [];
  for (let i = 0; i < all.length; i++) {
    let line = all[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    if (!header) {
      header = line.split(',').map((c) => (EDGE_SPACE.test(c) ? c.replace(EDGE_SPACES, '') : c));
      if (header.length === 1 && header[0] === '') return undefined;
      const column = pick(header);
      // Without the column the rows are still read, so a malformed one is named as parseDataFile names it.
      at = column === undefined ? -1 : header.lastIndexOf(column);
      continue;
    }
    // The cell at `at`, and the row's width, found by its commas (no array of cells per line).
    let from = 0;
    let cell: string | undefined;
    let width = 0;
    for (;;) {
      const comma = line.indexOf(',', from);
      const end = comma < 0 ? line.length : comma;
      if (width === at) cell = from === 0 && end === line.length ? line : line.slice(from, end);
      width++;
      if (comma < 0) break;
      from = comma + 1;
    }
    if (width !== header.length) return undefined;
    if (width === 1 && onlyEdgeSpace(line)) return undefined;
    if (cell === undefined) continue;
    if (edgeSpace(cell)) cell = cell.replace(EDGE_SPACES, '');
    cells.push(cell);
    lines.push(i + 1);
  }
  const columns = header ?? [];
  return { columns, column: pick(columns), cells, lines };
}

/** EDGE_SPACE.test without a regular expression run per row. */
function edgeSpace(cell: string): boolean {
  if (cell === '') return false;
  const a = cell.charCodeAt(0);
  const z = cell.charCodeAt(cell.length - 1);
  return a === 32 || a === 9 || a === 12 || z === 32 || z === 9 || z === 12;
}

/** A line of blanks (what csv-parse's skip_empty_lines does not skip, and names). */
function onlyEdgeSpace(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 12) return false;
  }
  return true;
}

function countNewlines(record: string[]): number {
  let n = 0;
  for (const cell of record) for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) n++;
  return n;
}

function listRows(value: unknown, defaultColumn: string, done: (rows: DataRow[], columns: string[]) => DataFileResult): DataFileResult {
  if (!Array.isArray(value)) return { ok: false, message: 'must hold a list (of userids, or of objects with the key column)', hint: 'e.g. ["zhangsan", "lisi"] or [{"userid": "zhangsan"}]' };
  const columns = new Set<string>();
  const rows = (value as unknown[]).map((v, i): DataRow => {
    const fields = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { [defaultColumn]: v };
    for (const k of Object.keys(fields)) columns.add(k);
    return { line: 0, index: i + 1, fields };
  });
  return done(rows, [...columns]);
}

/** Where a row is, for messages: "data/team.csv:12", or "data/team.json item 3" when lines are unknown. */
export function rowWhere(file: string, row: Pick<DataRow, 'line' | 'index'>): string {
  return row.line > 0 ? `${file}:${row.line}` : `${file} item ${row.index}`;
}
