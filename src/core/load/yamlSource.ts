import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLError } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { duplicateKeys, type DuplicateKey } from './duplicateKeys.js';

/** A parsed YAML file that remembers where every node came from, so diagnostics can name line and column. */
export interface YamlSource {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
  /** The plain JS value of the document (undefined when it could not be parsed). */
  value: unknown;
  /**
   * Only from a cache hit (io/yamlCache.ts): what scalarSourceAt gives for each number in `value` whose answer is not
   * String(number), by numberKey(path) (null: no plain scalar there), so numberSourceAt needs no parse of `doc`.
   */
  numbers?: ReadonlyMap<string, string | null>;
}

export interface Position {
  line: number;
  column: number;
}

export type DataPath = readonly (string | number)[];

export function parseYamlSource(file: string, text: string): { source: YamlSource; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  // uniqueKeys off: yaml's check is quadratic in a mapping's size; duplicateKeys makes the same check in one pass.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  // A tab used for indentation throws every later line out of alignment: report the tabs alone, not the cascade.
  const tabs = doc.errors.filter((e) => e.code === 'TAB_AS_INDENT');
  const duplicates = tabs.length > 0 ? [] : duplicateKeys(doc);
  const problems = [
    ...(tabs.length > 0 ? tabs : doc.errors).map((e) => ({ offset: e.pos[0], diagnostic: yamlErrorDiagnostic('error', e) })),
    ...duplicates.map((d) => ({ offset: d.offset, diagnostic: duplicateKeyDiagnostic(d, lineCounter.linePos(d.firstOffset).line) })),
  ].sort((a, b) => a.offset - b.offset);
  for (const p of problems) diagnostics.push({ ...p.diagnostic, ...at(p.offset) });
  for (const w of doc.warnings) diagnostics.push({ ...yamlErrorDiagnostic('warning', w), ...at(w.pos[0]) });
  let value: unknown;
  if (doc.errors.length === 0 && duplicates.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" file).
      if (!(e instanceof ReferenceError)) throw e;
      const pos = lineCounter.linePos(firstAliasOffset(doc));
      diagnostics.push({
        severity: 'error',
        code: 'yaml/too-many-aliases',
        file,
        line: pos.line,
        column: pos.col,
        message: `the file's aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies; dingcast refuses it rather than fill the memory`,
        hint: 'Write the values out instead of nesting aliases of aliases.',
      });
    }
  }
  return { source: { file, text, doc, lineCounter, value }, diagnostics };
}

/** How many alias expansions a file may make (yaml's own default, set here so it is a decision, not an accident). */
export const MAX_ALIAS_COUNT = 100;

function firstAliasOffset(doc: Document): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * A YAML or JSON value from a file that is not a project file (a vars file, `--vars`, `--var`, the sandbox config):
 * the same strict parse — duplicate keys and alias bombs are errors — with the problems as diagnostics.
 */
export function parseYamlValue(file: string, text: string): { ok: true; value: unknown } | { ok: false; diagnostics: Diagnostic[] } {
  const { source, diagnostics } = parseYamlSource(file, text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return errors.length > 0 ? { ok: false, diagnostics: errors } : { ok: true, value: source.value };
}

function yamlErrorDiagnostic(severity: Diagnostic['severity'], e: YAMLError): Omit<Diagnostic, 'file' | 'line' | 'column'> {
  const tab = e.code === 'TAB_AS_INDENT';
  return {
    severity,
    code: tab ? 'yaml/tab' : 'yaml/syntax',
    message: tab ? 'a tab indents this line; YAML indents with spaces only' : firstLine(e.message),
    hint: tab ? 'Replace the tab with spaces (and set your editor to insert spaces for YAML files).' : 'Fix the YAML syntax at this position (indentation, quotes, a missing colon).',
  };
}

function duplicateKeyDiagnostic(d: DuplicateKey, firstKeyLine: number): Omit<Diagnostic, 'file' | 'line' | 'column'> {
  return {
    severity: 'error',
    code: 'yaml/duplicate-key',
    message: `Map keys must be unique: \`${d.written}\` is already a key of this mapping (line ${firstKeyLine})`,
    hint: 'Remove or rename one of the two keys.',
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/**
 * The position of the node at `path`, or of its key when `at` is 'key'. When the path does not exist
 * (a missing required key), the deepest existing ancestor is used, which is where the fix goes.
 */
export function positionOf(source: YamlSource, path: DataPath, at: 'key' | 'value' = 'value'): Position {
  let node: unknown = source.doc.contents;
  let best: number | undefined = rangeStart(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const isLast = i === path.length - 1;
      if (isLast && at === 'key') {
        best = rangeStart(pair.key) ?? best;
        break;
      }
      node = pair.value;
      best = rangeStart(pair.value) ?? rangeStart(pair.key) ?? best;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      if (item === undefined) break;
      node = isPair(item) ? item.value : item;
      best = rangeStart(node) ?? best;
    } else {
      break;
    }
  }
  if (best === undefined) return { line: 1, column: 1 };
  const p = source.lineCounter.linePos(best);
  return { line: p.line, column: p.col };
}

/**
 * The text a scalar was written as (`12345678901234567890`), where the value YAML gives loses it: an integer beyond
 * 2^53 becomes the nearest double. Undefined when the path does not end at a scalar.
 */
export function scalarSourceAt(source: YamlSource, path: DataPath): string | undefined {
  let node: unknown = source.doc.contents;
  for (const seg of path) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg))?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
  }
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}

export function numberKey(path: DataPath): string {
  return JSON.stringify(path);
}

/**
 * scalarSourceAt for a path where `value` holds the number `n` (map keys as strings, list indexes as numbers, as the
 * value's own keys are): the same answer, from `numbers` when the source has them (no parse of a cached file).
 */
export function numberSourceAt(source: YamlSource, path: DataPath, n: number): string | undefined {
  if (!source.numbers) return scalarSourceAt(source, path);
  const written = source.numbers.get(numberKey(path));
  return written === undefined ? String(n) : (written ?? undefined);
}

/**
 * Every number in a freshly parsed source's value whose scalarSourceAt is not String(number) (`010`, digits beyond
 * 2^53, `1e3`, `0x1F`), by numberKey(path): what a cache keeps so numberSourceAt answers without the document.
 * Walks the value and the document side by side, finding each key as scalarSourceAt does (first scalar key).
 */
export function writtenNumbers(source: YamlSource): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const walk = (value: unknown, node: unknown, path: (string | number)[]): void => {
    if (typeof value === 'number') {
      const written = isScalar(node) && typeof node.source === 'string' ? node.source : null;
      if (written !== String(value)) out[numberKey(path)] = written;
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, isSeq(node) ? node.items[i] : undefined, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      const pairs = new Map<string, unknown>();
      if (isMap(node)) for (const p of node.items) if (isScalar(p.key) && !pairs.has(String(p.key.value))) pairs.set(String(p.key.value), p.value);
      for (const [k, v] of Object.entries(value)) walk(v, pairs.get(k), [...path, k]);
    }
  };
  walk(source.value, source.doc.contents, []);
  return out;
}

/**
 * Where line/column `inner` of a string value sits in the file. A `|` or `>` block's content starts on the line
 * after its header, at the block's indentation; a one-line plain or quoted scalar starts at its first character.
 * Falls back to the node's own position when the value is not a plain string scalar.
 */
export function positionInScalar(source: YamlSource, path: DataPath, inner: { line: number; column: number }): Position {
  const node: unknown = source.doc.getIn(path, true);
  const start = positionOf(source, path, 'value');
  if (!isScalar(node) || typeof node.value !== 'string') return start;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const line = start.line + inner.line;
    const text = source.text.split('\n')[line - 1] ?? '';
    const indent = text.length - text.trimStart().length;
    return { line, column: indent + inner.column };
  }
  if (inner.line > 1) return { line: start.line + inner.line - 1, column: inner.column };
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  return { line: start.line, column: start.column + quoted + inner.column - 1 };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Every scalar in the document with its path, for checks that look at all values (e.g. secrets). */
export function* walkScalars(value: unknown, path: (string | number)[] = []): Generator<{ path: (string | number)[]; value: unknown }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walkScalars(value[i], [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* walkScalars(v, [...path, k]);
  } else {
    yield { path, value };
  }
}
