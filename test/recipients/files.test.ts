import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/core/load/loadProject.js';
import type { ProjectFiles } from '../../src/core/project.js';

const TEMPLATE = { file: 'templates/note.yaml', text: 'version: 1\ndescription: n\nvariables: { type: object }\nmsg: { msgtype: text, text: { content: hi } }\n' };

function project(to: string, data: Record<string, Uint8Array | string> = {}, top = '') {
  const files: ProjectFiles = {
    notifications: { file: 'notifications.yaml', text: `version: 1\napp: { agent_id: 1 }\n${top}notifications:\n  n:\n    template: note@1\n    to: ${to}\n` },
    templates: [TEMPLATE],
    varsFiles: new Map(),
    dataFiles: new Map(Object.entries(data).map(([file, v]) => [file, { file, bytes: typeof v === 'string' ? new TextEncoder().encode(v) : v }])),
  };
  const p = loadProject(files);
  return { users: p.notifications[0]?.to.users ?? [], diagnostics: p.diagnostics.map((d) => `${d.severity} ${d.file}:${d.line} ${d.code} ${d.message}`), n: p.notifications[0] };
}

// "张三,研发" in GBK, as Excel on Chinese Windows saves "CSV".
const GBK_CSV = Uint8Array.from([
  ...new TextEncoder().encode('userid,name\r\nzhangsan,'),
  0xd5, 0xc5, 0xc8, 0xfd,
  ...new TextEncoder().encode('\r\nlisi,'),
  0xc0, 0xee, 0xcb, 0xc4,
  0x0d, 0x0a,
]);

describe('groups', () => {
  it('expands named lists after the inline users', () => {
    const r = project('{ users: [wangwu], groups: [oncall, leads] }', {}, 'groups:\n  oncall: [zhangsan, lisi]\n  leads: [zhaoliu, "mobile:13800000000"]\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.users).toEqual(['wangwu', 'zhangsan', 'lisi', 'zhaoliu', 'mobile:13800000000']);
    expect(r.n?.groups).toEqual(['oncall', 'leads']);
  });

  it('names an unknown group at its line with the known ones', () => {
    const r = project('{ groups: [oncal] }', {}, 'groups:\n  oncall: [zhangsan]\n');
    expect(r.diagnostics).toEqual([expect.stringMatching(/^error notifications\.yaml:8 recipients\/unknown-group no group named `oncal`/)]);
  });
});

describe('to.users_file', () => {
  it.each([
    ['data/team.csv', 'userid,name\nzhangsan,张三\nlisi,李四\n'],
    ['data/team.csv', '\ufeffuserid\r\nzhangsan\r\nlisi\r\n'],
    ['data/team.txt', '# the platform team\nzhangsan\n\nlisi\n'],
    ['data/team.json', '["zhangsan", {"userid": "lisi"}]'],
    ['data/team.yaml', '- zhangsan\n- userid: lisi\n'],
  ])('reads %s', (file, text) => {
    const r = project(`{ users_file: ${file} }`, { [file]: text });
    expect(r.diagnostics).toEqual([]);
    expect(r.users).toEqual(['zhangsan', 'lisi']);
    expect(r.n?.userFile?.file).toBe(file);
  });

  it('keeps the line of every row (for "data/team.csv:3: unknown userid")', () => {
    const r = project('{ users_file: data/team.csv }', { 'data/team.csv': 'userid,note\nzhangsan,"two\nlines"\nlisi,x\n' });
    expect(r.n?.userFile?.lines).toEqual([2, 4]);
  });

  it('turns a mobile column into mobile: recipients', () => {
    expect(project('{ users_file: m.csv }', { 'm.csv': 'name,mobile\n张三,13800000000\n' }).users).toEqual(['mobile:13800000000']);
  });

  it('reads a GBK file from Excel, and says it did', () => {
    const r = project('{ users_file: data/team.csv }', { 'data/team.csv': GBK_CSV });
    expect(r.users).toEqual(['zhangsan', 'lisi']);
    expect(r.diagnostics).toEqual([expect.stringMatching(/^warning data\/team\.csv:0 recipients\/encoding .*is not UTF-8; read it as GBK/)]);
  });

  it.each([
    ['no userid column', 'a.csv', 'name\n张三\n', /recipients\/no-column .*has no `userid` or `mobile` column \(columns: name\)/],
    ['an empty cell', 'a.csv', 'userid\nzhangsan\n""\n', /a\.csv:3 recipients\/empty a\.csv:3: empty userid/],
    ['broken CSV', 'a.csv', 'userid,x\nzhangsan,"open\n', /recipients\/bad-file a\.csv is not valid CSV/],
    ['an unknown type', 'a.xlsx', 'PK', /unknown file type/],
    ['a JSON object', 'a.json', '{"userid": "x"}', /must hold a list/],
  ])('reports %s', (_, file, text, message) => {
    expect(project(`{ users_file: ${file} }`, { [file]: text }).diagnostics.join('\n')).toMatch(message);
  });

  it('refuses a path outside the project and a file that is missing', () => {
    expect(project('{ users_file: ../secrets.csv }').diagnostics.join('\n')).toMatch(/path\/outside-project users_file: `..\/secrets.csv` points outside the project folder/);
    expect(project('{ users_file: data/none.csv }').diagnostics.join('\n')).toMatch(/recipients\/unreadable users_file `data\/none.csv` cannot be read/);
  });

  it('reads 1,000 rows without the YAML parser', () => {
    const text = 'userid\n' + Array.from({ length: 1000 }, (_, i) => `user${i}`).join('\n');
    const r = project('{ users_file: big.csv }', { 'big.csv': text });
    expect(r.users).toHaveLength(1000);
    expect(r.users[999]).toBe('user999');
  });
});

describe('CSV without quotes (read line by line, not by csv-parse)', () => {
  it('gives the same rows and lines as the quoted form, and csv-parse still names a malformed row', async () => {
    const { parseDataFile } = await import('../../src/core/recipients/dataFile.js');
    const enc = (s: string) => new TextEncoder().encode(s);
    const plain = parseDataFile('t.csv', enc('userid, name\r\n\r\n zhangsan ,张三\r\nlisi,李四\r\n'), 'userid');
    const quoted = parseDataFile('t.csv', enc('"userid", "name"\r\n\r\n zhangsan ,"张三"\r\nlisi,李四\r\n'), 'userid');
    expect(plain).toEqual({ ok: true, columns: ['userid', 'name'], rows: [{ line: 3, index: 1, fields: { userid: 'zhangsan', name: '张三' } }, { line: 4, index: 2, fields: { userid: 'lisi', name: '李四' } }] });
    expect(quoted).toEqual(plain);
    const bad = parseDataFile('t.csv', enc('userid,name\nzhangsan,张三\nlisi,李四,extra\n'), 'userid');
    expect(bad).toMatchObject({ ok: false, line: 3 });
    expect(parseDataFile('t.csv', enc(''), 'userid')).toEqual({ ok: true, columns: [], rows: [] });
  });
});
