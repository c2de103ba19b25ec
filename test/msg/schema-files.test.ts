import { readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as Record<string, unknown>;
const SCHEMAS = ['msg', 'template', 'notifications'] as const;

function compile(name: (typeof SCHEMAS)[number]) {
  return new Ajv({ strict: true, allErrors: true }).compile(readJson(`schema/${name}.schema.json`));
}

/** Every property schema, with its JSON pointer, so editors can complete and explain each key. */
function propertySchemas(schema: unknown, at = ''): [string, Record<string, unknown>][] {
  if (typeof schema !== 'object' || schema === null) return [];
  const found: [string, Record<string, unknown>][] = [];
  for (const [key, child] of Object.entries(schema)) {
    if (key === 'properties' && typeof child === 'object' && child !== null) {
      for (const [name, prop] of Object.entries(child as Record<string, unknown>)) {
        if (typeof prop === 'object' && prop !== null) found.push([`${at}/properties/${name}`, prop as Record<string, unknown>]);
      }
    }
    found.push(...propertySchemas(child, `${at}/${key}`));
  }
  return found;
}

describe.each(SCHEMAS.map((s) => [s]))('schema/%s.schema.json', (name) => {
  const schema = readJson(`schema/${name}.schema.json`);
  it('compiles in Ajv strict mode', () => expect(() => compile(name)).not.toThrow());
  it('is draft-07 with $id, title and description', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(`https://dingcast.dev/schema/${name}.schema.json`);
    expect(typeof schema.title).toBe('string');
    expect(typeof schema.description).toBe('string');
  });
  it('gives every property a title and description (or a $ref to a definition that has them)', () => {
    const props = propertySchemas(schema).filter(([at]) => !/\/(if|then|anyOf)\//.test(at));
    expect(props.length).toBeGreaterThan(5);
    const lacking = props.filter(([, prop]) => {
      const target = typeof prop.$ref === 'string' && prop.title === undefined
        ? (schema.definitions as Record<string, Record<string, unknown>>)[prop.$ref.replace('#/definitions/', '')]
        : prop;
      return typeof target?.title !== 'string' || typeof target.description !== 'string';
    });
    expect(lacking.map(([at]) => at)).toEqual([]);
  });
  it('closes every object (additionalProperties: false) unless it is a map or free-form by design', () => {
    const FREE = new Set(['/properties/variables', '/definitions/notification/properties/vars']);
    const open: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as Record<string, unknown>;
      if (n.properties !== undefined && n.additionalProperties === undefined && !/\/(if|else|anyOf\/\d+)$/.test(at) && !FREE.has(at)) open.push(at);
      for (const [k, v] of Object.entries(n)) walk(v, `${at}/${k}`);
    };
    walk(schema, '');
    expect(open).toEqual([]);
  });
});

describe('template.schema.json', () => {
  const validate = compile('template');
  const base = { version: 1, variables: { type: 'object' }, msg: { msgtype: 'text', text: { content: 'hi {{name}}' } } };
  const each = { $each: 'fields', as: 'f', item: { key: '{{f.name}}', value: '{{f.value}}' } };
  const oa = (form: unknown) => ({ ...base, msg: { msgtype: 'oa', oa: { body: { form } } } });
  it.each([
    ['the minimal template', base, true],
    ['with description and examples', { ...base, description: 'd', examples: { typical: { name: 'x' } } }, true],
    ['a $each list', oa(each), true],
    ['a $each inside a list item', oa([{ key: 'k', value: 'v' }, { list: each }]), true],
    ['a dotted $each path', oa({ ...each, $each: 'release.fields' }), true],
    ['version 0', { ...base, version: 0 }, false],
    ['version "1"', { ...base, version: '1' }, false],
    ['an unknown top-level key', { ...base, tags: [] }, false],
    ['no msg', { version: 1 }, false],
    ['msg without msgtype', { ...base, msg: { text: { content: 'x' } } }, false],
    ['an unknown msgtype', { ...base, msg: { msgtype: 'sms' } }, false],
    ['robot casing at the top of msg', { ...base, msg: { msgtype: 'action_card', actionCard: {} } }, false],
    ['variables that are not an object schema', { ...base, variables: { type: 'array' } }, false],
    ['an example that is not an object', { ...base, examples: { typical: 'x' } }, false],
    ['$each without as', oa({ $each: 'fields', item: {} }), false],
    ['$each with an extra key', oa({ ...each, where: 'x' }), false],
    ['$each with a bad path', oa({ ...each, $each: 'fields[0]' }), false],
    ['$each with a bad name', oa({ ...each, as: 'my f' }), false],
    ['sendbytemplate in place of msg', { version: 1, sendbytemplate: { template_id: 't1', data: { title: '{{name}}' } } }, true],
    ['sendbytemplate without template_id', { version: 1, sendbytemplate: { data: {} } }, false],
    ['sendbytemplate with a number field', { version: 1, sendbytemplate: { template_id: 't1', data: { n: 3 } } }, false],
    ['sendbytemplate with an unknown key', { version: 1, sendbytemplate: { template_id: 't1', data: {}, msg: {} } }, false],
  ])('%s → valid: %s', (_name, doc, valid) => expect(validate(doc)).toBe(valid));
});

describe('notifications.schema.json', () => {
  const validate = compile('notifications');
  const n = (patch: Record<string, unknown> = {}, to: unknown = { users: ['zhangsan'] }) => ({
    version: 1,
    app: { agent_id: 100000001, kind: 'internal' },
    notifications: { 'daily-report': { template: 'daily-report@1', to, ...patch } },
  });
  const top = (patch: Record<string, unknown>) => ({ ...n(), ...patch });
  it.each([
    ['the minimal file', n(), true],
    ['every optional field', n({ vars: { a: 1 }, vars_file: 'data/x.json', schedule: '0 9 * * 1-5', timezone: 'Asia/Shanghai', calendar: 'cn-workdays', enabled: false, description: 'd' }), true],
    ['agent_id from the environment', top({ app: { agent_id: '${DINGTALK_AGENT_ID}' } }), true],
    ['agent_id as a plain string', top({ app: { agent_id: '100000001' } }), false],
    ['agent_id with a lowercase env name', top({ app: { agent_id: '${agent}' } }), false],
    ['kind isv', top({ app: { agent_id: 1, kind: 'isv' } }), true],
    ['kind robot', top({ app: { agent_id: 1, kind: 'robot' } }), false],
    ['an app secret in the file', top({ app: { agent_id: 1, app_secret: 'x' } }), false],
    ['version 2', top({ version: 2 }), false],
    ['limits at their maximum', top({ limits: { userids_per_call: 100, dept_ids_per_call: 20 } }), true],
    ['101 userids per call', top({ limits: { userids_per_call: 101 } }), false],
    ['21 dept ids per call', top({ limits: { dept_ids_per_call: 21 } }), false],
    ['0 userids per call', top({ limits: { userids_per_call: 0 } }), false],
    ['departments as numbers and digit strings', n({}, { departments: [10001, '20002'] }), true],
    ['a department that is not digits', n({}, { departments: ['sre'] }), false],
    ['all users', n({}, { all: true }), true],
    ['all: false alone', n({}, { all: false }), false],
    ['no recipients', n({}, {}), false],
    ['an empty user list alone', n({}, { users: [] }), false],
    ['a userid with a comma', n({}, { users: ['a,b'] }), false],
    ['a duplicated userid', n({}, { users: ['a', 'a'] }), false],
    ['unknown recipient key', n({}, { users: ['a'], userids: ['b'] }), false],
    ['a template pinned to @0', n({ template: 'daily-report@0' }), false],
    ['a template id with capitals', n({ template: 'Daily' }), false],
    ['a 6-field schedule', n({ schedule: '0 0 9 * * 1-5' }), false],
    ['an unknown notification key', n({ cron: '0 9 * * *' }), false],
    ['no template', n({ template: undefined }), false],
  ])('%s → valid: %s', (_name, doc, valid) => expect(validate(JSON.parse(JSON.stringify(doc)))).toBe(valid));
  it.each([['release-api', true], ['a_b-1', true], ['Release', false], ['-x', false], ['发布', false]])('notification id %s → valid: %s', (id, valid) => {
    expect(validate({ version: 1, app: { agent_id: 1 }, notifications: { [id]: { template: 'x', to: { all: true } } } })).toBe(valid);
  });
});

describe('the shipped examples', () => {
  const templates = readdirSync(new URL('templates/', root)).filter((f) => f.endsWith('.yaml'));
  const validateTemplate = compile('template');
  it('cover all eight msgtypes', () => {
    const types = templates.map((f) => (parse(readFileSync(new URL(`templates/${f}`, root), 'utf8')) as { msg: { msgtype: string } }).msg.msgtype);
    expect(new Set(types)).toEqual(new Set(['text', 'image', 'voice', 'file', 'link', 'markdown', 'oa', 'action_card']));
  });
  it.each(templates.map((f) => [f]))('templates/%s has the editor modeline and validates', (file) => {
    const source = readFileSync(new URL(`templates/${file}`, root), 'utf8');
    expect(source.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/template.schema.json');
    expect(validateTemplate(parse(source)), JSON.stringify(validateTemplate.errors)).toBe(true);
  });
  it('notifications.yaml has the modeline, validates, and pins existing template versions', () => {
    const source = readFileSync(new URL('notifications.yaml', root), 'utf8');
    expect(source.split('\n')[0]).toBe('# yaml-language-server: $schema=./schema/notifications.schema.json');
    const doc = parse(source) as { notifications: Record<string, { template: string }> };
    const validate = compile('notifications');
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    for (const [id, { template }] of Object.entries(doc.notifications)) {
      const [name, pin] = template.split('@');
      const version = (parse(readFileSync(new URL(`templates/${name}.yaml`, root), 'utf8')) as { version: number }).version;
      expect(pin === undefined || Number(pin) === version, `${id} pins ${template}, file is version ${version}`).toBe(true);
    }
  });
});
