// `each:` per-person rows: loading and validation, through the core as the CLI calls it.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/core/load/loadProject.js';
import type { ProjectFiles } from '../../src/core/project.js';
import { checkRecipientIds } from '../../src/core/recipients/check.js';
import { indexDirectory, type Directory } from '../../src/core/recipients/directory.js';
import { eachSample } from '../../src/core/recipients/sample.js';
import { snapshotNotification } from '../../src/review/snapshot.js';
import { validateProject } from '../../src/core/validate/validateProject.js';

const PAYSLIP = `version: 1
description: monthly pay slip
variables:
  type: object
  required: [name, month, net]
  properties:
    userid: { type: string, maxLength: 64 }
    name: { type: string, maxLength: 20 }
    month: { type: string, pattern: "^\\\\d{4}-\\\\d{2}$", maxLength: 7 }
    net: { type: string, sensitive: true, pattern: "^[0-9]+\\\\.[0-9]{2}$", maxLength: 12 }
    note: { type: string, maxLength: 3000 }
    score: { type: integer, minimum: 0, maximum: 100 }
examples:
  typical: { name: 张三, month: 2026-11, net: "12345.00" }
msg:
  msgtype: markdown
  markdown:
    title: "{{month}} 工资条"
    text: "### {{name}} {{month}}\\n实发 ¥{{net}}{{#if note}}\\n{{note}}{{/if}}{{#if score}} ({{score}}){{/if}}"
`;

function project(each: string, data: Record<string, string>, extra = '') {
  const files: ProjectFiles = {
    notifications: { file: 'notifications.yaml', text: `version: 1\napp: { agent_id: 1 }\nnotifications:\n  payslips:\n    template: payslip@1\n    each: ${each}\n    vars: { month: 2026-11 }\n${extra}` },
    templates: [{ file: 'templates/payslip.yaml', text: PAYSLIP }],
    varsFiles: new Map(),
    dataFiles: new Map(Object.entries(data).map(([file, v]) => [file, { file, bytes: new TextEncoder().encode(v) }])),
  };
  return loadProject(files);
}

function problems(each: string, data: Record<string, string>, extra = ''): string[] {
  const p = project(each, data, extra);
  const v = validateProject(p, { now: new Date('2026-12-01T02:00:00Z') });
  // The template's own findings (its worst-case size with a long `note`) are not what these tests are about.
  return [...v.errors, ...v.warnings].filter((d) => !d.file.startsWith('templates/')).map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
}

describe('each: rows from a data file', () => {
  it.each([
    ['data/pay.csv', 'userid,name,net\nzhangsan,张三,12345.00\nlisi,李四,9000.50\n'],
    ['data/pay.csv', '\ufeffuserid,name,net\r\nzhangsan,张三,12345.00\r\nlisi,李四,9000.50\r\n'],
    ['data/pay.json', '[{"userid":"zhangsan","name":"张三","net":"12345.00"},{"userid":"lisi","name":"李四","net":"9000.50"}]'],
    ['data/pay.yaml', '- { userid: zhangsan, name: 张三, net: "12345.00" }\n- { userid: lisi, name: 李四, net: "9000.50" }\n'],
  ])('reads %s: one row per person, its fields as variables over vars', (file, text) => {
    const p = project(`{ file: ${file} }`, { [file]: text });
    expect(p.diagnostics).toEqual([]);
    const n = p.notifications[0]!;
    expect(n.to.users).toEqual(['zhangsan', 'lisi']);
    expect(n.each?.rows.map((r) => r.fields.net)).toEqual(['12345.00', '9000.50']);
    expect(problems(`{ file: ${file} }`, { [file]: text })).toEqual([]);
  });

  it('types a CSV cell as the template declares it (an integer score), so the schema checks numbers', () => {
    const p = project('{ file: d.csv }', { 'd.csv': 'userid,name,net,score\nzhangsan,张三,1.00,88\n' });
    expect(p.notifications[0]?.each?.rows[0]?.fields.score).toBe(88);
    expect(problems('{ file: d.csv }', { 'd.csv': 'userid,name,net,score\nzhangsan,张三,1.00,101\n' })).toEqual([expect.stringMatching(/^d\.csv:2:18 vars\/.* row for `zhangsan`: `score` must be <= 100/)]);
  });

  it('names a bad row by line and column, masking the sensitive value', () => {
    const out = problems('{ file: data/pay.csv }', { 'data/pay.csv': 'userid,name,net\nzhangsan,张三,12345.00\nlisi,李四,98x7\n' });
    expect(out).toEqual([expect.stringMatching(/^data\/pay\.csv:3:9 vars\/pattern row for `lisi`: `net` `•••••` does not have the expected form/)]);
    expect(out.join('\n')).not.toContain('98x7');
  });

  it('a duplicate userid, an empty one and a missing key column are errors at their lines', () => {
    expect(problems('{ file: d.csv }', { 'd.csv': 'userid,name,net\nzhangsan,张三,1.00\nlisi,李四,2.00\nzhangsan,张三,3.00\n,x,4.00\n' })).toEqual([
      'd.csv:4:1 each/duplicate-key row: `zhangsan` already has a row (d.csv:2); one message per person',
      'd.csv:5:1 each/empty-key row: empty `userid`',
    ]);
    expect(problems('{ file: d.csv, key: staff_id }', { 'd.csv': 'userid,name,net\nzhangsan,张三,1.00\n' })).toEqual([expect.stringMatching(/^d\.csv:1:1 each\/no-key-column d\.csv has no `staff_id` column \(columns: userid, name, net\)/)]);
    // The key column may be any column; the variables still see every field.
    const p = project('{ file: d.csv, key: staff_id }', { 'd.csv': 'name,staff_id,net\n张三,zhangsan,1.00\n' });
    expect(p.notifications[0]?.to.users).toEqual(['zhangsan']);
  });

  it('an unknown userid is an error at its row, with a did-you-mean from the directory', () => {
    const p = project('{ file: d.csv }', { 'd.csv': 'userid,name,net\nzhangsan,张三,1.00\nzhangsna,张三,2.00\n' });
    const directory: Directory = { format: 'dingcast.directory/v1', pulled_at: '', source: '', departments: [{ id: '10001', name: '研发部' }], users: [{ userid: 'zhangsan', name: '张三', dept_ids: ['10001'] }], mobiles: {} };
    const found = checkRecipientIds(p, indexDirectory(directory)).map((d) => `${d.file}:${d.line} ${d.message} ${d.hint ?? ''}`);
    expect(found).toEqual(['d.csv:3 unknown userid `zhangsna`: not in the directory Did you mean zhangsan (张三, 研发部)?']);
  });

  it('a file that cannot be read, is empty, or sits next to `to` is a clear error', () => {
    expect(problems('{ file: data/missing.csv }', {})).toEqual([expect.stringMatching(/^notifications\.yaml:6:\d+ each\/unreadable each\.file `data\/missing\.csv` cannot be read/)]);
    expect(problems('{ file: d.csv }', { 'd.csv': 'userid,name,net\n' })).toEqual([expect.stringMatching(/^d\.csv:1:1 each\/no-rows d\.csv has no rows/)]);
    expect(problems('{ file: ../pay.csv }', {})).toEqual([expect.stringMatching(/path\/outside-project each\.file:/)]);
    expect(problems('{ file: d.csv }', { 'd.csv': 'userid,name,net\nzhangsan,张三,1.00\n' }, '    to: { users: [lisi] }\n')).toEqual([expect.stringMatching(/each\/with-to notification `payslips` has both `to` and `each`/)]);
    expect(problems('{ file: d.csv }', { 'd.csv': 'userid,name,net\nzhangsan,"张三,1.00\n' })).toEqual([expect.stringMatching(/^d\.csv:\d+:1 each\/bad-file d\.csv is not valid CSV/)]);
  });

  it('10,000 rows with one oversize row: that row is reported by its line, and only it', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `u${i + 1},name${i + 1},${(1000 + i).toFixed(2)},${i === 7_776 ? 'x'.repeat(2100) : ''}`);
    const out = problems('{ file: d.csv }', { 'd.csv': `userid,name,net,note\n${rows.join('\n')}\n` });
    expect(out).toEqual([expect.stringMatching(/^d\.csv:7778:1 msg\/too-large row for `u7777`: msg is \d+ bytes; DingTalk allows at most 2048/)]);
  });

  it('past 20 failing rows, the rest are counted, not listed', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `u${i},n,bad`);
    const out = problems('{ file: d.csv }', { 'd.csv': `userid,name,net\n${rows.join('\n')}\n` });
    expect(out).toHaveLength(21);
    expect(out[0]).toMatch(/… and 10 more row\(s\) of d\.csv with problems \(30 of 30\)/);
  });

  it('render shows the first row as a sample with the sensitive value masked', () => {
    const p = project('{ file: d.csv }', { 'd.csv': 'userid,name,net\nzhangsan,张三,12345.00\n' });
    const sample = JSON.stringify(eachSample(p, p.notifications[0]!, { now: new Date('2026-12-01T02:00:00Z') }));
    expect(sample).toContain('实发 ¥•••••');
    expect(sample).toContain('张三');
    expect(sample).not.toContain('12345');
  });

  it('a diff compares the masked sample, never the values', () => {
    const p = project('{ file: d.csv }', { 'd.csv': 'userid,name,net\nzhangsan,张三,12345.00\n' });
    const snap = snapshotNotification(p, p.notifications[0]!, { now: new Date('2026-12-01T02:00:00Z') });
    expect(snap.ok).toBe(true);
    expect(snap.text).toContain('¥•••••');
    expect(snap.text).not.toContain('12345');
  });
});
