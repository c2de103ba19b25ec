import type { ErrorObject } from 'ajv';
import type { Diagnostic } from './diagnostics.js';
import { positionInScalar, positionOf, type DataPath, type YamlSource } from './load/yamlSource.js';
import type { SchemaName } from './schemas.js';
import { closestMatch } from './suggest.js';

/**
 * The one place where Ajv's errors become words, for every schema dingcast checks against (project files, saved
 * plans, variables, DingTalk's msg): one wording, one "did you mean" (suggest.ts), one table of field hints.
 * core/msg/schema-problems.ts only adds DingTalk's errcodes and the msgtype cases on top of these problems.
 */

/** One Ajv error turned into a path, a stable code, a message and a hint; positions are added by the caller. */
export interface SchemaProblem {
  path: (string | number)[];
  at: 'key' | 'value';
  code: string;
  message: string;
  hint?: string;
  /** For `schema/missing-key`: the key that is missing (`path` is the object that lacks it). */
  missingKey?: string;
}

/** Ajv's errors as problems; `schema` names the schema, whose FIELD_HINTS then explain a field's format. */
export function describeSchemaErrors(errors: readonly ErrorObject[], rootName = 'the document', schema?: SchemaName): SchemaProblem[] {
  // if/then, oneOf and anyOf wrappers repeat what their branches already said.
  const useful = errors.filter((e) => !['if', 'oneOf', 'anyOf', 'not'].includes(e.keyword) || errors.length === 1);
  const seen = new Set<string>();
  const out: SchemaProblem[] = [];
  for (const e of useful.length > 0 ? useful : errors) {
    const p = describeOne(e, rootName, schema);
    const key = `${p.path.join('/')}|${p.code}|${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** `/oa/body/form/2/value` → `['oa','body','form',2,'value']`: the JSON Pointer of an Ajv error as a data path. */
function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(?:0|[1-9]\d*)$/.test(step) ? Number(step) : step;
    });
}

/**
 * How to write fields whose format trips people up, per schema and field name: the hint a schema error at
 * that field gets (the regex of a `pattern` helps nobody). A schema without an entry falls back to the
 * field's `description` in the schema.
 */
const FIELD_HINTS: Readonly<Record<SchemaName, Readonly<Record<string, string>>>> = {
  msg: {
    duration: 'Write whole seconds 1..59 as a string, e.g. duration: "10".',
    bgcolor: 'Write 8 hex digits, alpha first, without 0x, e.g. FFBBBBBB.',
    btn_orientation: 'Write "0" for vertical buttons or "1" for horizontal ones, as a string.',
    file_count: 'Write it as a string, e.g. file_count: "3".',
    num: 'Write it as a string, e.g. num: "15.6".',
  },
  template: {},
  notifications: {},
  report: {},
  plan: {},
};

function hintFor(schema: SchemaName | undefined, path: readonly (string | number)[]): string | undefined {
  const field = path.at(-1);
  if (schema === undefined || typeof field !== 'string') return undefined;
  return Object.hasOwn(FIELD_HINTS[schema], field) ? FIELD_HINTS[schema][field] : undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `['oa','body','form',2,'value']` → `oa.body.form[2].value`: a data path as people write it; '' for the root. */
export function formatDataPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (IDENTIFIER.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

function describeOne(e: ErrorObject, rootName: string, schema: SchemaName | undefined): SchemaProblem {
  const path = pointerToPath(e.instancePath);
  const where = path.length > 0 ? `\`${formatDataPath(path)}\`` : rootName;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closestMatch(key, allowed);
      return {
        path: [...path, key],
        at: 'key',
        code: 'schema/unknown-key',
        message: `unknown key \`${key}\` in ${where}`,
        hint: guess ? `Did you mean \`${guess}\`?` : allowed.length > 0 ? `Allowed keys: ${allowed.join(', ')}.` : 'Remove this key.',
      };
    }
    case 'required':
      return {
        path,
        at: 'key',
        code: 'schema/missing-key',
        message: `${where} is missing the required key \`${String(params.missingProperty)}\``,
        hint: `Add \`${String(params.missingProperty)}:\` here.`,
        missingKey: String(params.missingProperty),
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const guess = closestMatch(String(e.data), allowed);
      return {
        path,
        at: 'value',
        code: 'schema/enum',
        message: `${where} must be one of ${allowed.map((a) => `\`${a}\``).join(', ')}; got \`${String(e.data)}\``,
        // A field's own hint (`btn_orientation`: "0" or "1") says more than a guess among one-letter values.
        hint: hintFor(schema, path) ?? (guess ? `Did you mean \`${guess}\`?` : undefined),
      };
    }
    case 'const':
      return { path, at: 'value', code: 'schema/const', message: `${where} must be \`${String(params.allowedValue)}\``, hint: undefined };
    case 'type':
      return { path, at: 'value', code: 'schema/type', message: `${where} must be ${article(String(params.type))}; got ${typeName(e.data)}`, hint: hintFor(schema, path) ?? quoteHint(params.type, e.data) };
    case 'maxLength':
      return { path, at: 'value', code: 'schema/too-long', message: `${where} is ${[...String(e.data)].length} characters; at most ${String(params.limit)} allowed`, hint: undefined };
    case 'minLength':
      return { path, at: 'value', code: 'schema/too-short', message: String(e.data) === '' ? `${where} is empty` : `${where} is ${[...String(e.data)].length} characters; at least ${String(params.limit)} needed`, hint: undefined };
    case 'maxItems':
    case 'minItems': {
      const count = Array.isArray(e.data) ? e.data.length : 0;
      const message = e.keyword === 'maxItems' ? `${where} has ${count} items; at most ${String(params.limit)} allowed`
        : count === 0 ? `${where} is an empty list` : `${where} has ${count} items; at least ${String(params.limit)} needed`;
      return { path, at: 'value', code: `schema/${e.keyword === 'maxItems' ? 'too-many' : 'too-few'}`, message, hint: undefined };
    }
    case 'pattern': {
      // A cron with a seconds field (Quartz, Spring, node-cron) is the usual mistake: say so in plain words.
      const fields = String(e.data).trim().split(/\s+/).length;
      if (path.at(-1) === 'schedule' && fields === 6) {
        return { path, at: 'value', code: 'schedule/bad-cron', message: `${where} \`${String(e.data)}\` has 6 fields: dingcast uses 5-field cron (minute hour day-of-month month day-of-week); drop the seconds field`, hint: `e.g. "${String(e.data).trim().split(/\s+/).slice(1).join(' ')}"` };
      }
      // The regex itself helps nobody; the schema's description says what the value should look like.
      const hint = hintFor(schema, path) ?? (e.parentSchema as { description?: string } | undefined)?.description;
      return { path, at: 'value', code: 'schema/pattern', message: `${where} \`${String(e.data)}\` does not have the expected form`, hint };
    }
    default:
      return { path, at: 'value', code: `schema/${e.keyword.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}`, message: `${where} ${e.message ?? 'is invalid'}`, hint: undefined };
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? `${typeof v} \`${v}\`` : typeof v;
}

function quoteHint(expected: unknown, data: unknown): string | undefined {
  if (expected === 'string' && (typeof data === 'number' || typeof data === 'boolean')) return `Quote the value: "${String(data)}".`;
  if (expected === 'array' && typeof data === 'string') return `Write a YAML list: [${data}] or one "- item" per line.`;
  return undefined;
}

/** Turn problems found at data paths of a YAML file into diagnostics with file:line:column. */
export function locate(
  source: YamlSource,
  problems: readonly { path: DataPath; at?: 'key' | 'value'; code: string; message: string; hint?: string | undefined; inner?: { line: number; column: number } | undefined }[],
  severity: Diagnostic['severity'] = 'error',
  prefix: DataPath = [],
): Diagnostic[] {
  return problems.map((p) => {
    const pos = p.inner ? positionInScalar(source, [...prefix, ...p.path], p.inner) : positionOf(source, [...prefix, ...p.path], p.at ?? 'value');
    const d: Diagnostic = { severity, code: p.code, file: source.file, line: pos.line, column: pos.column, message: p.message };
    if (p.hint) d.hint = p.hint;
    return d;
  });
}
