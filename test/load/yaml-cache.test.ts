import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { positionOf } from '../../src/core/load/yamlSource.js';
import { readProjectSide } from '../../src/io/readProject.js';
import { isPlainJson, openYamlCache } from '../../src/io/yamlCache.js';

/**
 * .dingcast/cache/yaml.json (src/io/yamlCache.ts): every case where a parsed-value cache could answer wrongly.
 * Each hit is shown to come from the cache (an entry edited by hand is believed), and each miss to be a fresh parse.
 */
const NOW = new Date('2026-06-01T01:00:00Z');
const TEMPLATE = 'version: 1\ndescription: hi\nvariables: { type: object, properties: { who: { type: string } } }\nexamples: { typical: { who: a } }\nmsg: { msgtype: text, text: { content: "hello {{who}}" } }\n';
const NOTIFICATIONS = 'version: 1\napp: { agent_id: 100000001, kind: internal }\ntimezone: Asia/Shanghai\nnotifications:\n  hello:\n    template: t@1\n    to: { users: [u1, u2], departments: [12345678901234567890] }\n    vars: { who: team }\n';

let dir: string;
const cacheFile = () => join(dir, '.dingcast', 'cache', 'yaml.json');
const readCache = () => JSON.parse(readFileSync(cacheFile(), 'utf8')) as { format: string; versions: string; entries: Record<string, string>; numbers?: Record<string, Record<string, string | null>> };
const write = (rel: string, text: string) => writeFileSync(join(dir, rel), text);
const read = (yamlCache = true) => readProjectSide(dir, NOW, { yamlCache });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dingcast-yaml-cache-'));
  mkdirSync(join(dir, 'templates'));
  write('templates/t.yaml', TEMPLATE);
  write('notifications.yaml', NOTIFICATIONS);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** What a command sees of a loaded project: every value that came from YAML. */
async function seen(yamlCache: boolean) {
  const side = await read(yamlCache);
  const p = side.project!;
  return { diagnostics: p.diagnostics, config: p.config, notifications: p.notifications, templates: [...p.templates.values()].map((t) => ({ id: t.id, msg: t.msg, variables: t.variables, examples: t.examples })) };
}

/** Edit the cached value of the entry whose JSON holds `needle`; proves a later read took it from the cache. */
function editEntry(needle: string, from: string, to: string): void {
  const c = readCache();
  const key = Object.keys(c.entries).find((k) => c.entries[k]!.includes(needle))!;
  c.entries[key] = c.entries[key]!.replace(from, to);
  writeFileSync(cacheFile(), JSON.stringify(c));
}

describe('the YAML value cache', () => {
  it('a hit loads the same project as a fresh parse, and really comes from the cache', async () => {
    const fresh = await seen(false);
    expect(await seen(true)).toEqual(fresh); // the miss that fills it
    expect(Object.keys(readCache().entries)).toHaveLength(2);
    expect(await seen(true)).toEqual(fresh); // the hit
    // The department id beyond 2^53 is still the digits written (the lazily parsed document gives them).
    expect(fresh.notifications[0]!.to.departments).toEqual(['12345678901234567890']);
    editEntry('hello {{who}}', 'hello {{who}}', 'cached {{who}}');
    const side = await read();
    expect(side.project!.templates.get('t')!.msg).toEqual({ msgtype: 'text', text: { content: 'cached {{who}}' } });
  });

  it('a hit gives numbers as written (department ids: `010`, beyond 2^53) from its own table, not by parsing the file', async () => {
    write('notifications.yaml', NOTIFICATIONS.replace('departments: [12345678901234567890]', 'departments: [010, 12345678901234567890, 7, 0x1F]'));
    const fresh = await seen(false);
    expect(fresh.notifications[0]!.to.departments).toEqual(['010', '12345678901234567890', '7', '31']);
    expect(await seen(true)).toEqual(fresh); // the miss that fills it
    expect(await seen(true)).toEqual(fresh); // the hit
    const c = readCache();
    const [key, table] = Object.entries(c.numbers ?? {})[0]!;
    expect(table).toEqual({ '["notifications","hello","to","departments",0]': '010', '["notifications","hello","to","departments",1]': '12345678901234567890', '["notifications","hello","to","departments",3]': '0x1F' });
    // The table is believed (so the hit did not ask the document): an edited written form is what the project gets.
    table['["notifications","hello","to","departments",0]'] = '0100';
    table['["notifications","hello","to","departments",2]'] = '0007';
    writeFileSync(cacheFile(), JSON.stringify(c));
    expect((await read()).project!.notifications[0]!.to.departments).toEqual(['0100', '12345678901234567890', '0007', '31']);
    // A malformed table is a miss: the file is parsed afresh.
    c.numbers![key] = { '["notifications","hello","to","departments",0]': 5 as unknown as string };
    writeFileSync(cacheFile(), JSON.stringify(c));
    expect(await seen(true)).toEqual(fresh);
  });

  it('an edited file is parsed afresh (and the edit seen), a byte is enough', async () => {
    await read();
    editEntry('hello {{who}}', 'hello {{who}}', 'cached {{who}}');
    write('templates/t.yaml', TEMPLATE.replace('hello', 'hellO'));
    const side = await read();
    expect(side.project!.templates.get('t')!.msg).toEqual({ msgtype: 'text', text: { content: 'hellO {{who}}' } });
  });

  it('positions asked of a cached file are the fresh parse\'s', async () => {
    await read();
    const cached = (await read()).project!.notificationsSource!;
    const fresh = (await read(false)).project!.notificationsSource!;
    for (const path of [['notifications', 'hello', 'vars', 'who'], ['notifications', 'hello', 'to', 'users', 1], ['timezone']]) {
      expect(positionOf(cached, path)).toEqual(positionOf(fresh, path));
    }
    expect(positionOf(cached, ['timezone'])).toEqual({ line: 3, column: 11 });
  });

  it('another dingcast, yaml or Node version, or another format, is a miss', async () => {
    await read();
    for (const change of [(c: Record<string, unknown>) => (c.versions = 'dingcast 0.0.0; yaml 2.9.1; node 20.0.0'), (c: Record<string, unknown>) => (c.format = 'dingcast.yaml-cache/v0')]) {
      editEntry('hello {{who}}', 'hello {{who}}', 'cached {{who}}');
      const c = readCache() as unknown as Record<string, unknown>;
      change(c);
      writeFileSync(cacheFile(), JSON.stringify(c));
      const side = await read();
      expect(side.project!.templates.get('t')!.msg).toEqual({ msgtype: 'text', text: { content: 'hello {{who}}' } });
      expect(readCache().versions).toMatch(/^dingcast \S+; yaml \S+; node \S+$/); // rewritten with this run's versions
    }
  });

  it('a corrupt cache file or entry is a miss, never an error', async () => {
    const fresh = await seen(false);
    await read();
    for (const text of ['', '{', 'null', '[]', '{"format":"dingcast.yaml-cache/v1"}', JSON.stringify({ ...readCache(), entries: [] })]) {
      writeFileSync(cacheFile(), text);
      expect(await seen(true)).toEqual(fresh);
    }
    await read();
    const c = readCache();
    for (const k of Object.keys(c.entries)) c.entries[k] = '{not json';
    writeFileSync(cacheFile(), JSON.stringify(c));
    expect(await seen(true)).toEqual(fresh);
  });

  it.each([
    ['an error (a duplicate key)', TEMPLATE + 'description: twice\n'],
    ['a warning alone (an unknown tag; the value still loads)', TEMPLATE.replace('description: hi', 'description: !note hi')],
  ])('a file with %s is never kept, so its diagnostics are always the fresh parse\'s', async (_, text) => {
    write('templates/t.yaml', text);
    const fresh = await seen(false);
    expect(fresh.diagnostics.filter((d) => d.file === 'templates/t.yaml').length).toBeGreaterThan(0);
    expect(await seen(true)).toEqual(fresh);
    expect(Object.values(readCache().entries).some((v) => v.includes('hello {{who}}'))).toBe(false);
    expect(await seen(true)).toEqual(fresh);
  });

  it('values JSON cannot hold exactly (aliases, .nan, .inf, -0) are not kept', async () => {
    const cache = openYamlCache(dir);
    for (const text of ['a: &x [1]\nb: *x\n', 'a: .nan\n', 'a: .inf\n', 'a: -0\n']) {
      const r = cache.parse('x.yaml', text);
      expect(r.diagnostics).toEqual([]);
      expect(isPlainJson(r.source.value)).toBe(false);
    }
    cache.parse('ok.yaml', 'a: [1, "2", true, null, { b: 1.5 }]\n');
    await cache.save();
    expect(Object.values(readCache().entries)).toEqual(['{"a":[1,"2",true,null,{"b":1.5}]}']);
    expect(isPlainJson(JSON.parse('{"__proto__": 1}'))).toBe(false);
    expect(isPlainJson(new Date(0))).toBe(false);
  });

  it('entries no run uses any more are dropped; without the cache option nothing is read or written', async () => {
    await read();
    write('templates/t.yaml', TEMPLATE.replace('hello', 'bye'));
    await read();
    const entries = Object.values(readCache().entries);
    expect(entries).toHaveLength(2);
    expect(entries.some((v) => v.includes('hello {{who}}'))).toBe(false);
    rmSync(join(dir, '.dingcast'), { recursive: true });
    await read(false);
    expect(() => readFileSync(cacheFile())).toThrow();
  });
});
