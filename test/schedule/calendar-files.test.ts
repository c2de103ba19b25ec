import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFolder } from '../../src/cli/validateFolder.js';
import { SHIPPED_CALENDARS } from '../../src/io/calendars.js';
import { makeProject } from '../send/_project.js';

const NOW = new Date('2026-06-01T01:00:00Z');
const template = 'version: 1\ndescription: t\nvariables: { type: object }\nexamples: { typical: {} }\nmsg: { msgtype: text, text: { content: "hi" } }\n';
const notifications = 'version: 1\napp: { agent_id: 1, kind: internal }\ntimezone: Asia/Shanghai\nnotifications:\n  n:\n    template: t@1\n    to: { users: [zhangsan] }\n';
const shipped = readFileSync(join(SHIPPED_CALENDARS, 'cn-workdays.json'), 'utf8');

async function calendarErrors(dir: string) {
  const { result } = await validateFolder(dir, NOW);
  return result.errors.filter((e) => e.code === 'calendar/invalid-file');
}

describe("a project's calendar files follow the path rule and are checked by validate", () => {
  it('accepts a real calendar file in calendars/', async () => {
    const dir = makeProject({ 'templates/t.yaml': template, 'notifications.yaml': notifications, 'calendars/cn-workdays.json': shipped });
    expect(await calendarErrors(dir)).toEqual([]);
  });

  it('refuses a calendar that is a symbolic link to a file outside the project', async () => {
    const outside = join(mkdtempSync(join(tmpdir(), 'dingcast-outside-')), 'cal.json');
    writeFileSync(outside, shipped);
    const dir = makeProject({ 'templates/t.yaml': template, 'notifications.yaml': notifications });
    mkdirSync(join(dir, 'calendars'), { recursive: true });
    symlinkSync(outside, join(dir, 'calendars/cn-workdays.json'));
    const errors = await calendarErrors(dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'calendars/cn-workdays.json', severity: 'error' });
    expect(errors[0]?.message).toMatch(/symbolic link to a file outside the project/);
  });

  it('names a folder called x.json and a broken file instead of failing or ignoring them', async () => {
    const dir = makeProject({ 'templates/t.yaml': template, 'notifications.yaml': notifications, 'calendars/broken.json': '{ "format": ' });
    mkdirSync(join(dir, 'calendars/folder.json'));
    const errors = await calendarErrors(dir);
    expect(errors.map((e) => e.file).sort()).toEqual(['calendars/broken.json', 'calendars/folder.json']);
    expect(errors.find((e) => e.file === 'calendars/folder.json')?.message).toMatch(/folder, not a file/);
  });
});
