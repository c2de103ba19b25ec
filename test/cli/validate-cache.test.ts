import { readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inputsOf, readProjectFolder } from '../../src/cli/loadFromDisk.js';
import { validateFolder } from '../../src/cli/validateFolder.js';
import { cachedValidation, validationOf } from '../../src/cli/validationCache.js';
import { cacheFile, lookupValidation, storeValidation, type CachedValidation } from '../../src/io/validateCache.js';
import { runCli } from '../helpers/cli.js';
import { makeProject } from '../send/_project.js';

const VERSION = '1.2.3';
const JUNE = new Date('2026-06-01T01:00:00Z');

const template = (content: string) => `version: 1\ndescription: t\nvariables: { type: object, properties: { who: { type: string, maxLength: 10 } } }\nexamples: { typical: { who: a } }\nmsg: { msgtype: text, text: { content: ${JSON.stringify(content)} } }\n`;
const notifications = (extra = '') => `version: 1\napp: { agent_id: 1, kind: internal }\ntimezone: Asia/Shanghai\nnotifications:\n  n:\n    template: t@1\n    to: { users: [zhangsan] }\n    vars: { who: 张三 }\n${extra}`;
/** A template whose text is a YAML block scalar, as the time helpers are usually written. */
/** The same template with its content as a YAML block scalar (a block cannot sit inside the flow map `template` writes). */
const blockTemplate = (content: string) => template('x').replace(/^msg: .*$/m, `msg:\n  msgtype: text\n  text:\n    content: |\n      ${content}`);
const project = (files: Record<string, string> = {}) => makeProject({ 'templates/t.yaml': template('hi {{who}}'), 'notifications.yaml': notifications(), ...files });

/** What `runValidate` does: the cached answer, else a fresh validation that is then stored. */
async function validate(dir: string, now: Date, version = VERSION): Promise<{ hit: boolean; value: CachedValidation }> {
  const cached = await lookupValidation(dir, now, version);
  if (cached) return { hit: true, value: cached };
  const { project: p, result, inputs } = await validateFolder(dir, now);
  const value = { templates: p.templates.size, notifications: p.notifications.length, result };
  await storeValidation(dir, now, version, inputs, value);
  return { hit: false, value };
}

describe('the validate cache', () => {
  it('answers an unchanged project with exactly what a fresh validation says', async () => {
    const dir = project({ 'templates/t.yaml': template('hi {{who}}\n\n{{bogus}}') });
    const first = await validate(dir, JUNE);
    expect(first.hit).toBe(false);
    expect(first.value.result.errors.length).toBeGreaterThan(0);
    const second = await validate(dir, JUNE);
    expect(second.hit).toBe(true);
    expect(second.value).toEqual(first.value);
  });

  it.each([
    ['a template edited', (dir: string) => writeFileSync(join(dir, 'templates/t.yaml'), template('hello {{who}}'))],
    ['a template added', (dir: string) => writeFileSync(join(dir, 'templates/u.yaml'), template('u {{who}}'))],
    ['a template removed', (dir: string) => unlinkSync(join(dir, 'templates/extra.yaml'))],
    ['a .yml beside a .yaml', (dir: string) => writeFileSync(join(dir, 'templates/t.yml'), template('shadow'))],
    ['notifications.yaml edited', (dir: string) => writeFileSync(join(dir, 'notifications.yaml'), notifications().replace('张三', '李四'))],
    ['a vars_file edited', (dir: string) => writeFileSync(join(dir, 'vars.json'), '{"who": "a name that is far too long"}')],
    ['a project calendar added', (dir: string) => writeFileSync(join(dir, 'calendars/cn-workdays.json'), readFileSync(join(dir, 'calendars/other.json')))],
    ['a project calendar edited', (dir: string) => writeFileSync(join(dir, 'calendars/other.json'), '{ "broken": ')],
    ['a template replaced by a symlink to the same text elsewhere', (dir: string) => {
      writeFileSync(join(dir, 'elsewhere.yaml'), readFileSync(join(dir, 'templates/t.yaml')));
      unlinkSync(join(dir, 'templates/t.yaml'));
      symlinkSync(join(dir, 'elsewhere.yaml'), join(dir, 'templates/t.yaml'));
    }],
  ])('misses after %s', async (_name, change) => {
    const calendar = readFileSync(join(process.cwd(), 'calendars/cn-workdays.json'), 'utf8').replace('"name": "cn-workdays"', '"name": "other"');
    const dir = project({
      'templates/extra.yaml': template('extra {{who}}'),
      'notifications.yaml': notifications('  m:\n    template: t@1\n    to: { users: [lisi] }\n    vars_file: vars.json\n'),
      'vars.json': '{"who": "b"}',
      'calendars/other.json': calendar,
    });
    await validate(dir, JUNE);
    expect((await validate(dir, JUNE)).hit).toBe(true);
    change(dir);
    const after = await validate(dir, JUNE);
    expect(after.hit).toBe(false);
    // And the fresh answer is what validating without any cache says.
    const { result } = await validateFolder(dir, JUNE);
    expect(after.value.result).toEqual(result);
  });

  it('misses on another day: the calendar-coverage warning depends on the date', async () => {
    const dir = project({ 'notifications.yaml': notifications('    schedule: "0 9 * * 1-5"\n    calendar: cn-workdays\n') });
    const december = new Date('2026-12-15T01:00:00Z'); // a month later is 2027, which the shipped calendar lacks
    const june = await validate(dir, JUNE);
    const later = await validate(dir, december);
    expect(later.hit).toBe(false);
    expect(june.value.result.warnings.some((w) => /no data for 2027/.test(w.message))).toBe(false);
    expect(later.value.result.warnings.some((w) => /no data for 2027/.test(w.message))).toBe(true);
    // Within the same quarter hour the answer is reused.
    expect((await validate(dir, new Date(december.getTime() + 60_000))).hit).toBe(true);
  });

  it('misses for another dingcast version', async () => {
    const dir = project();
    await validate(dir, JUNE, '1.2.3');
    expect((await validate(dir, JUNE, '1.2.4')).hit).toBe(false);
  });

  it.each([
    ['garbage', 'not json at all'],
    ['a truncated file', '{"format":"dingcast.validate-cache/v1","resolutionMs":900000,"key":"'],
    ['the wrong shape', '{"format":"dingcast.validate-cache/v1","resolutionMs":900000,"key":"x","files":[],"folders":[],"result":null}'],
    ['null', 'null'],
  ])('a corrupt cache (%s) is a miss, then rewritten', async (_name, text) => {
    const dir = project();
    await validate(dir, JUNE);
    writeFileSync(cacheFile(dir), text);
    expect((await validate(dir, JUNE)).hit).toBe(false);
    expect((await validate(dir, JUNE)).hit).toBe(true);
  });

  it('a project that prints the time is reused only within the minute; one that uses the clock otherwise, never', async () => {
    const printed = project({ 'templates/t.yaml': blockTemplate('at {{date @now "HH:mm"}} for {{who}}') });
    expect((await validate(printed, JUNE)).value.result.errors).toEqual([]);
    expect((await validate(printed, new Date(JUNE.getTime() + 30_000))).hit).toBe(true);
    expect((await validate(printed, new Date(JUNE.getTime() + 60_000))).hit).toBe(false);
    for (const content of ['at {{date @now "HH:mm:ss"}} {{who}}', '{{#if (gt (date "HH") "12")}}afternoon{{/if}} {{who}}', 'at {{@now}} {{who}}']) {
      const dir = project({ 'templates/t.yaml': blockTemplate(content) });
      expect((await validate(dir, JUNE)).value.result.errors, content).toEqual([]);
      expect((await validate(dir, JUNE)).hit, content).toBe(false);
    }
  });
});

describe('dingcast validate with the cache', () => {
  it('prints the same from the cache as without it, and really answers from it', async () => {
    const dir = project({ 'templates/t.yaml': template('hi {{who}}\n\n{{bogus}}') });
    rmSync(join(dir, '.dingcast'), { recursive: true, force: true });
    const fresh = await runCli(['validate', '--project', dir]);
    const cached = await runCli(['validate', '--project', dir]);
    expect(cached.code).toBe(fresh.code);
    expect(cached.stdout).toBe(fresh.stdout);
    const json = await runCli(['validate', '--format', 'json', '--project', dir], { env: { DINGCAST_NO_CACHE: '1' } });
    expect((await runCli(['validate', '--format', 'json', '--project', dir])).stdout).toBe(json.stdout);
    // A cache entry whose counts were changed by hand is believed: the second run did not validate again.
    const entry = JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { templates: number };
    writeFileSync(cacheFile(dir), JSON.stringify({ ...entry, templates: 41 }));
    expect((await runCli(['validate', '--project', dir])).stdout).toMatch(/41 templates/);
    expect((await runCli(['validate', '--project', dir], { env: { DINGCAST_NO_CACHE: '1' } })).stdout).not.toMatch(/41 templates/);
  });
});

describe('send --dry-run with the cache', () => {
  // n is healthy; m's `who` is longer than its template's maxLength 10: validation (not planning) finds that.
  const twoNotifications = () => project({ 'notifications.yaml': notifications('  m:\n    template: t@1\n    to: { users: [lisi] }\n    vars: { who: a name that is far too long }\n') });
  const AT = ['--at', '2026-06-01T09:00:00+08:00'];
  const withoutRunLine = (text: string) => text.split('\n').filter((l) => !l.startsWith('plan ')).join('\n');

  it('prints the same plan from validate\'s cached answer as without it, and really uses it', async () => {
    const dir = twoNotifications();
    const fresh = await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir], { env: { DINGCAST_NO_CACHE: '1' } });
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toMatch(/not sent: m/);
    // The first run with the cache misses and stores validate's answer; the second answers from it.
    expect((await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir])).stderr).toBe(fresh.stderr);
    const cached = await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir]);
    expect(cached.code).toBe(fresh.code);
    expect(cached.stderr).toBe(fresh.stderr);
    expect(withoutRunLine(cached.stdout)).toBe(withoutRunLine(fresh.stdout));
    // An entry emptied of its errors by hand is believed: the dry run took validate's answer instead of validating.
    const entry = JSON.parse(readFileSync(cacheFile(dir), 'utf8')) as { result: { errors: unknown[] } };
    writeFileSync(cacheFile(dir), JSON.stringify({ ...entry, result: { ...entry.result, errors: [] } }));
    const believed = await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir]);
    expect(believed.stderr).not.toMatch(/not sent: m/);
    expect(believed.stdout).toMatch(/^ {2}m t@1/m);
    expect((await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir], { env: { DINGCAST_NO_CACHE: '1' } })).stderr).toMatch(/not sent: m/);
  });

  it('a dry run that missed leaves the answer for the next one (and for validate)', async () => {
    const dir = twoNotifications();
    rmSync(join(dir, '.dingcast'), { recursive: true, force: true });
    await runCli(['send', '--all', '--dry-run', ...AT, '--project', dir]);
    const cached = await cachedValidation(dir, new Date('2026-06-01T01:00:00Z'), {});
    expect(cached?.result.errors.map((e) => e.code)).toEqual(['vars/too-long']);
  });

  it('an answer looked up before the folder changed is not used for what was read after', async () => {
    const dir = project();
    await validationOf(await readProjectFolder(dir, JUNE), JUNE, {}, undefined); // stores the healthy answer
    const before = await cachedValidation(dir, JUNE, {});
    expect(before?.result.errors).toEqual([]);
    writeFileSync(join(dir, 'notifications.yaml'), notifications().replace('张三', 'a name that is far too long'));
    const result = await validationOf(await readProjectFolder(dir, JUNE), JUNE, {}, before);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result).toEqual((await validateFolder(dir, JUNE)).result);
  });
});

describe('render --dry-run with the cache', () => {
  const AT = ['--at', '2026-06-01T09:00:00+08:00'];
  const render = (dir: string, args: string[] = [], env: Record<string, string> = {}) => runCli(['render', '--dry-run', ...AT, ...args, '--project', dir], { env });
  const twoNotifications = () => project({ 'notifications.yaml': notifications('  m:\n    template: t@1\n    to: { users: [lisi] }\n    vars: { who: 李四 }\n') });

  it('prints the same from the cache as without it (text and JSON), and really answers from it', async () => {
    const dir = twoNotifications();
    for (const format of [[], ['--json']]) {
      const fresh = await render(dir, format, { DINGCAST_NO_CACHE: '1' });
      expect(fresh.code).toBe(0);
      expect(fresh.stdout).toMatch(/hi 李四/);
      expect((await render(dir, format)).stdout).toBe(fresh.stdout); // a miss: stores
      const cached = await render(dir, format);
      expect(cached.stdout).toBe(fresh.stdout);
      expect(cached.stderr).toBe(fresh.stderr);
    }
    // An entry edited by hand is believed: the run did not render again.
    const entry = JSON.parse(readFileSync(cacheFile(dir, 'render'), 'utf8')) as { items: { id: string }[] };
    writeFileSync(cacheFile(dir, 'render'), JSON.stringify({ ...entry, items: entry.items.map((i) => ({ ...i, id: `${i.id}-from-cache` })) }));
    expect((await render(dir)).stdout).toMatch(/notification m-from-cache/);
    expect((await render(dir, [], { DINGCAST_NO_CACHE: '1' })).stdout).not.toMatch(/from-cache/);
  });

  it('misses after a template is edited, for other ids, and never caches a project that reads the clock', async () => {
    const dir = twoNotifications();
    await render(dir);
    writeFileSync(join(dir, 'templates/t.yaml'), template('hello {{who}}'));
    expect((await render(dir)).stdout).toMatch(/hello 李四/);
    const one = await render(dir, ['m']);
    expect(one.stdout).toMatch(/notification m /);
    expect(one.stdout).not.toMatch(/notification n /);
    const clock = project({ 'templates/t.yaml': template('at {{@now}} {{who}}') });
    rmSync(join(clock, '.dingcast'), { recursive: true, force: true });
    expect((await render(clock)).code).toBe(0);
    expect(() => readFileSync(cacheFile(clock, 'render'))).toThrow();
  });

  it('an answer about bytes that changed after they were read is not stored', async () => {
    const dir = project();
    rmSync(join(dir, '.dingcast'), { recursive: true, force: true });
    const side = await readProjectFolder(dir, JUNE);
    writeFileSync(join(dir, 'templates/t.yaml'), template('edited after the read {{who}}'));
    await storeValidation(dir, JUNE, VERSION, inputsOf(side), { templates: 1, notifications: 1, result: { errors: [], warnings: [] } });
    expect(await lookupValidation(dir, JUNE, VERSION)).toBeUndefined();
    await storeValidation(dir, JUNE, VERSION, inputsOf(await readProjectFolder(dir, JUNE)), { templates: 1, notifications: 1, result: { errors: [], warnings: [] } });
    expect(await lookupValidation(dir, JUNE, VERSION)).toBeDefined();
  });
});
