import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { schemaValidator, type SchemaName } from '../../src/core/schemas.js';
import { newAjv } from '../../src/core/validate/ajv.js';
import { loadSchema } from '../helpers/schemaFile.js';
import { schemaErrors } from '../../src/core/msg/schema-problems.js';
import { VALID } from '../msg/fixtures.js';
import { samplePlan } from '../plan/_plan.js';
import { sampleReport } from '../reports/_report.js';

const root = new URL('../../', import.meta.url);
const readYaml = (path: string): unknown => parse(readFileSync(new URL(path, root), 'utf8'));
const templates = readdirSync(new URL('templates/', root)).filter((f) => f.endsWith('.yaml'));

/** Real documents that conform, one schema each; the mutations below break them in every way. */
const SAMPLES: Record<SchemaName, unknown[]> = {
  template: templates.map((f) => readYaml(`templates/${f}`)),
  notifications: [readYaml('notifications.yaml')],
  msg: Object.values(VALID),
  report: [sampleReport()],
  plan: [await samplePlan()],
};

type Path = (string | number)[];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function setAt(doc: unknown, path: Path, value: unknown): unknown {
  const copy = { root: structuredClone(doc) };
  let at = copy as Record<string | number, unknown>;
  for (const step of ['root', ...path.slice(0, -1)]) at = at[step] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy.root;
}

/** Each value (to depth 4) replaced by a number, a string and removed; each object given a typo'd key. */
function mutations(doc: unknown): [string, unknown][] {
  const out: [string, unknown][] = [];
  const walk = (node: unknown, path: Path): void => {
    if (!isObject(node) || path.length > 4) return;
    out.push([`${path.join('/')}+titel`, setAt(doc, [...path, 'titel'], 'x')]);
    for (const [key, child] of Object.entries(node)) {
      const at = [...path, Array.isArray(node) ? Number(key) : key];
      for (const value of [12345, 'not-a-valid-value', undefined]) out.push([`${at.join('/')}=${String(value)}`, setAt(doc, at, value)]);
      walk(child, at);
    }
  };
  walk(doc, []);
  return out;
}

describe.each(Object.keys(SAMPLES).map((n) => [n as SchemaName]))('precompiled %s validator', (name) => {
  const runtime = newAjv(true).compile(loadSchema(name));
  const cases: [string, unknown][] = [['null', null], ['array', []], ['empty object', {}]];
  for (const [i, sample] of SAMPLES[name].entries()) cases.push([`sample ${i}`, sample], ...mutations(sample).map(([l, d]): [string, unknown] => [`sample ${i} ${l}`, d]));

  it('accepts every sample', () => {
    for (const sample of SAMPLES[name]) expect(schemaValidator(name)(sample), JSON.stringify(schemaValidator(name).errors)).toBe(true);
  });

  it(`reports exactly what Ajv compiling schema/${name}.schema.json at run time reports (${cases.length} cases)`, () => {
    const validate = schemaValidator(name);
    let withHints = 0;
    for (const [label, doc] of cases) {
      const expected = runtime(doc) ? null : runtime.errors;
      const actual = validate(doc) ? null : validate.errors;
      expect(actual, label).toStrictEqual(expected);
      withHints += (actual ?? []).filter((e) => isObject(e.parentSchema) && isObject(e.parentSchema.properties)).length;
    }
    // Diagnostics need verbose errors: "did you mean" reads parentSchema.properties.
    expect(withHints).toBeGreaterThan(0);
  });
});

it('msg/schema.ts checks msgs with the precompiled msg validator', () => {
  const unknownKey = schemaErrors({ msgtype: 'text', text: { content: 'hi' }, txt: 1 }).find((e) => e.keyword === 'additionalProperties');
  expect(unknownKey?.params).toEqual({ additionalProperty: 'txt' });
  expect(Object.keys((unknownKey?.parentSchema as { properties: object }).properties)).toContain('text');
  expect(schemaErrors(VALID.text)).toEqual([]);
});
