// The plan of a users_file list (issue 14: a million recipients in seconds) decides once for the whole list when the
// ledger holds nothing for it, and per user otherwise. Both ways must give the same plan; these are the cases where
// the ledger does hold something (the same notification earlier today, the same bytes from another notification)
// and the ones where it holds nothing, including the duplicates a list of people always has.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/core/load/loadProject.js';
import type { ProjectFiles } from '../../src/core/project.js';
import { parseDataColumn, parseDataFile } from '../../src/core/recipients/dataFile.js';
import type { DeliveryRecord } from '../../src/core/send/ledgerView.js';
import { planSend } from '../../src/core/send/plan.js';

const NOW = new Date('2026-11-26T01:00:00Z');
const DAY = '2026-11-26';

function project(csv: string) {
  const files: ProjectFiles = {
    notifications: {
      file: 'notifications.yaml',
      text: 'version: 1\napp: { agent_id: 1 }\ntimezone: Asia/Shanghai\nnotifications:\n  n:\n    template: note@1\n    to: { users: [u3, u1], users_file: data/team.csv }\n  other:\n    template: note@1\n    to: { users: [u1] }\n',
    },
    templates: [{ file: 'templates/note.yaml', text: 'version: 1\ndescription: n\nvariables: { type: object }\nmsg: { msgtype: text, text: { content: hi } }\n' }],
    varsFiles: new Map(),
    dataFiles: new Map([['data/team.csv', { file: 'data/team.csv', bytes: new TextEncoder().encode(csv) }]]),
  };
  const p = loadProject(files);
  expect(p.diagnostics).toEqual([]);
  return p;
}

const CSV = 'userid\nu1\nu2\nu3\nu2\nu4\n';

function plan(deliveries: DeliveryRecord[], extra: { force?: boolean; only?: readonly string[] } = {}) {
  const p = planSend({ project: project(CSV), ids: ['n'], now: NOW, runId: '20261126T010000Z-abcdef', ledger: { deliveries }, force: extra.force ?? false, fingerprint: '0'.repeat(64), ...(extra.only ? { only: { n: extra.only } } : {}) });
  const n = p.notifications[0]!;
  return { users: n.recipients.users, calls: n.calls.map((c) => c.recipients.userids), skipped: n.skipped.map((s) => `${s.userid}: ${s.reason.split(' in run')[0]}`), n };
}

describe('planning a users_file list', () => {
  const first = plan([]);
  const record = (over: Partial<DeliveryRecord>): DeliveryRecord => ({ run: 'r0', at: '2026-11-26T00:30:00Z', key: 'k', notification: 'n', sha256: first.n.sha256, day: DAY, recipient: 'user:u1', identity: first.n.identity, occurrence: DAY, state: 'delivered', ...over });

  it.each([
    ['an empty ledger: everyone once, inline users first, duplicates dropped', [], {}, ['u3', 'u1', 'u2', 'u4'], []],
    ['the same notification reached u1 earlier today', [record({})], {}, ['u3', 'u2', 'u4'], ['u1: already sent']],
    ['another notification delivered the same bytes to u2 today', [record({ notification: 'other', recipient: 'user:u2', identity: 'x' })], {}, ['u3', 'u1', 'u4'], ['u2: identical content already delivered today (2026-11-26)']],
    ['the same bytes reached u2 yesterday (not today): no skip', [record({ notification: 'other', recipient: 'user:u2', identity: 'x', day: '2026-11-25' })], {}, ['u3', 'u1', 'u2', 'u4'], []],
    ['--force sends to everyone even so', [record({})], { force: true }, ['u3', 'u1', 'u2', 'u4'], []],
    ['only the given recipients (send --due resending failures)', [], { only: ['user:u4', 'user:u1'] }, ['u1', 'u4'], []],
    ['only, with a ledger record of this notification', [record({ recipient: 'user:u3', state: 'retry' })], { only: ['user:u4', 'user:u3'] }, ['u3', 'u4'], []],
  ] as const)('%s', (_, deliveries, extra, users, skipped) => {
    const r = plan([...deliveries], extra);
    expect(r.users).toEqual(users);
    expect(r.calls).toEqual([users]);
    expect(r.skipped).toEqual(skipped);
  });

  it('splits a long list into calls of 100 userids without repeating anyone', () => {
    const csv = 'userid\n' + Array.from({ length: 250 }, (_, i) => `p${i}\np${i}\n`).join('');
    const p = planSend({ project: project(csv), ids: ['n'], now: NOW, runId: '20261126T010000Z-abcdef', ledger: { deliveries: [] }, force: false, fingerprint: '0'.repeat(64) });
    const calls = p.notifications[0]!.calls.map((c) => c.recipients.userids ?? []);
    expect(calls.map((c) => c.length)).toEqual([100, 100, 52]);
    expect(new Set(calls.flat()).size).toBe(252);
  });
});

describe('reading only the recipients column gives what the rows give', () => {
  const pick = (columns: string[]) => (columns.includes('userid') ? 'userid' : columns.includes('mobile') ? 'mobile' : undefined);
  const enc = (s: string) => new TextEncoder().encode(s);
  it.each([
    ['one column', 'userid\nzhangsan\nlisi\n'],
    ['CRLF, BOM, blank lines and spaces', '\ufeffuserid, name\r\n\r\n zhangsan ,张三\r\nlisi,李四\r\n'],
    ['the column not first', 'name,userid,dept\n张三,zhangsan,研发\n李四,lisi,\n'],
    ['a mobile column', 'name,mobile\n张三,13800000000\n'],
    ['an empty cell', 'userid,name\n,张三\nlisi,李四\n'],
    ['a column named twice (the last wins, as in csv-parse)', 'userid,userid\na,b\n'],
    ['no recipients column', 'name\n张三\n'],
    ['quotes (csv-parse reads it)', 'userid,note\nzhangsan,"two\nlines"\nlisi,x\n'],
    ['a row of the wrong width (csv-parse names it)', 'userid,name\nzhangsan,张三\nlisi,李四,extra\n'],
    ['a line of blanks in a one-column file', 'userid\nzhangsan\n   \nlisi\n'],
    ['a lone CR', 'userid\rzhangsan\n'],
    ['header only', 'userid\n'],
    ['empty', ''],
  ])('%s', (_, text) => {
    const rows = parseDataFile('t.csv', enc(text), 'userid');
    const column = parseDataColumn('t.csv', enc(text), 'userid', pick);
    if (!rows.ok) return expect(column).toEqual(rows);
    const c = pick(rows.columns);
    expect(column).toEqual({ ok: true, columns: rows.columns, column: c, cells: c === undefined ? [] : rows.rows.map((r) => r.fields[c]), lines: c === undefined ? [] : rows.rows.map((r) => r.line) });
  });
});
