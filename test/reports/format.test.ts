import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { NotificationReport } from '../../src/core/send/types.js';
import { computeTotals, formatReportJunit, formatReportMarkdown, formatReportSummary } from '../../src/core/report/index.js';
import { newRunId } from '../../src/io/reports/index.js';
import { HOSTILE, sampleReport } from './_report.js';
import { findAll, parseXml } from './_xml.js';

describe('computeTotals', () => {
  it('counts calls and recipients by status, folding in users listed only as skipped', () => {
    expect(sampleReport().totals).toEqual({ calls: 5, recipients: 11, read: 2, unread: 1, failed: 2, forbidden: 2, invalid: 1, skipped: 2, unknown: 1 });
  });

  const one = (n: Partial<NotificationReport>): NotificationReport => ({
    id: 'n', template: 't@1', sha256: '0'.repeat(64), bytes: 1, calls: [], skipped: [], recipients: {}, forbidden_reasons: {}, ...n,
  });
  it.each([
    ['nothing', [], { calls: 0, recipients: 0, skipped: 0 }],
    ['skipped in both places counts once', [one({ skipped: [{ userid: 'a', reason: 'r' }], recipients: { a: 'skipped' } })], { recipients: 1, skipped: 1 }],
    ['an explicit status wins over the skipped list', [one({ skipped: [{ userid: 'a', reason: 'r' }], recipients: { a: 'read' } })], { recipients: 1, read: 1, skipped: 0 }],
    ['a user in two notifications counts twice', [one({ recipients: { a: 'read' } }), one({ recipients: { a: 'unread' } })], { recipients: 2, read: 1, unread: 1 }],
  ] as const)('%s', (_, notifications, expected) => {
    expect(computeTotals([...notifications])).toMatchObject(expected);
  });
});

describe('formatReportMarkdown', () => {
  const md = formatReportMarkdown(sampleReport());

  it('shows when the run started and finished in the project\'s time zone, with the offset', () => {
    const started = sampleReport().started_at; // 2026-11-26T01:02:03.000Z
    expect(formatReportMarkdown({ ...sampleReport(), timezone: 'Asia/Shanghai', started_at: started, finished_at: '2026-11-26T01:05:00.000Z' })).toContain(
      '- Started 2026-11-26 09:02:03 +08:00, finished 2026-11-26 09:05:00 +08:00',
    );
    // A report written before reports carried the zone keeps its ISO times.
    expect(formatReportMarkdown({ ...sampleReport(), timezone: undefined })).toContain(`- Started ${started},`);
  });

  it('starts with the totals table', () => {
    expect(md).toContain('| calls | recipients | read | unread | failed | forbidden | invalid | skipped | unknown |');
    expect(md).toContain('| 5 | 11 | 2 | 1 | 2 | 2 | 1 | 2 | 1 |');
    expect(md.indexOf('| 5 | 11 |')).toBeLessThan(md.indexOf('### '));
  });

  it.each([
    ['template and short hash', 'Template **release-note@3**, 412 bytes, sha256 `a3f1c9e0b7d2`'],
    ['task ids', '| 310001 |'],
    ['the refused call with errcode, errmsg and attempts', 'errcode 40056: 不合法的agentid &lt;bad&gt; (1 attempt)'],
    ['the duplicate-content reason', 'wangwu (143106: same content already sent today)'],
    ['the daily-cap reason', '143105: per-user daily cap reached'],
    ['invalid users', '- invalid (1): ghost'],
    ['skipped users with why', '- skipped (1): u9 (already sent this content today)'],
    ['unknown users', '- unknown (1): u3'],
    ['why a call is unknown', '| 2 | 1 user | — | unknown | — | outcome unknown: the run stopped before DingTalk answered |'],
    ['the schedule slot', 'slot 2026-11-26T09:00:00+08:00'],
  ])('shows %s', (_, text) => {
    expect(md).toContain(text);
  });

  it('groups problems before successes', () => {
    const body = md.slice(md.indexOf('\n### '));
    const section = body.slice(body.indexOf('release-api'), body.indexOf('weekly-digest'));
    const order = ['- forbidden', '- invalid', '- skipped', '- unread', '- read'].map((s) => section.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('escapes user text so it cannot form HTML or break a table', () => {
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('<bad>');
    expect(md).toContain('zhou&lt;b&gt;\\*ba\\*&lt;/b&gt;\\|x&amp;y');
    const r = sampleReport();
    r.notifications[1]!.calls[0]!.error!.errmsg = 'a|b|c';
    const rows = formatReportMarkdown(r).split('\n').filter((l) => l.startsWith('| '));
    expect(rows.join('\n')).toContain('a\\|b\\|c');
    for (const row of rows) {
      const cells = row.split(/(?<!\\)\|/).length - 2;
      expect([6, 7, 10]).toContain(cells);
    }
  });

  it('renders (GFM with raw HTML on, as GitHub does) to three tables and no markup from user text', () => {
    const r = sampleReport();
    r.notifications[1]!.calls[0]!.error!.errmsg = '<script>alert(1)</script> | *x* [l](http://e.x)';
    const html = new MarkdownIt({ html: true }).render(formatReportMarkdown(r));
    expect(html.match(/<table>/g)).toHaveLength(4);
    expect(html).not.toMatch(/<script>|<b>|<em>x|<a /);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | *x* [l](http://e.x)');
    for (const row of html.match(/<tr>[\s\S]*?<\/tr>/g) ?? []) expect([6, 7, 10]).toContain(row.match(/<t[dh]/g)?.length);
  });

  it('keeps a newline in an errmsg from starting a Markdown block', () => {
    const r = sampleReport();
    const err = r.notifications[1]?.calls[0]?.error;
    if (err) err.errmsg = 'bad\n# heading\n- item';
    expect(formatReportMarkdown(r)).not.toMatch(/^# heading/m);
  });

  it('has a read-rate column: read of those reached, for the run and for each notification (issue 16 item 7)', () => {
    // 2 read, 1 unread in the sample: 67% of the 3 DingTalk reached (failed and skipped people do not lower it).
    expect(md).toContain('| calls | recipients | read | unread | failed | forbidden | invalid | skipped | unknown | read rate |');
    expect(md).toContain('| 5 | 11 | 2 | 1 | 2 | 2 | 1 | 2 | 1 | 67% (2 of 3) |');
    expect(md).toContain('| notification | calls | recipients | read | unread | not reached | read rate |');
    const rows = md.split('\n').filter((l) => /^\| (✅|❌) /.test(l));
    expect(rows).toHaveLength(sampleReport().notifications.length);
    for (const row of rows) expect(row).toMatch(/\| (\d+% \(\d+ of \d+\)|—) \|$/);
    const r = sampleReport();
    const perNotification = r.notifications.map((n) => computeTotals([n]));
    const withReads = perNotification.findIndex((t) => t.read + t.unread > 0);
    const t = perNotification[withReads]!;
    expect(rows[withReads]).toContain(`${Math.round((t.read / (t.read + t.unread)) * 100)}% (${t.read} of ${t.read + t.unread}) |`);
  });

  it('a --no-wait run says "not followed up", not unknown or failing, and how to follow it up', () => {
    const r = sampleReport();
    // As a --no-wait run leaves it: every call accepted, nobody asked who got it.
    for (const n of r.notifications) {
      for (const c of n.calls) {
        c.state = 'sent';
        c.task_id ??= 1;
        delete c.error;
        delete c.result;
      }
      n.recipients = Object.fromEntries(Object.keys(n.recipients).map((u) => [u, 'unknown' as const]));
      n.skipped = [];
    }
    const notFollowed = { ...r, followed_up: false, totals: computeTotals(r.notifications) };
    const text = formatReportMarkdown(notFollowed);
    expect(text).toContain(`**Not followed up** (\`send --no-wait\`): \`dingcast report ${r.run_id} --refresh\``);
    expect(text).toMatch(/\| calls \| recipients \| read \| unread \| failed \| forbidden \| invalid \| skipped \| not followed up \| read rate \|/);
    expect(text).toMatch(/^- not followed up \(\d+\): /m);
    expect(text).not.toMatch(/^- unknown/m);
    expect(text).not.toContain('❌');
    const summary = formatReportSummary(notFollowed);
    expect(summary).not.toMatch(/FAIL|unknown/);
    expect(summary).toMatch(/not followed up \(--no-wait\): `dingcast report \S+ --refresh`/);
    // The same report once followed up (report --refresh found nothing): now those unknowns are failures.
    const followed = formatReportSummary({ ...notFollowed, followed_up: true });
    expect(followed).toMatch(/FAIL/);
  });

  it('marks dry runs and forced runs', () => {
    const r = { ...sampleReport(), dry_run: true, force: true };
    expect(formatReportMarkdown(r)).toContain('**dry run** (nothing was sent), **forced** (ledger ignored)');
  });
});

describe('formatReportJunit', () => {
  const xml = formatReportJunit(sampleReport());
  const root = parseXml(xml);

  it('is well-formed with one suite per notification and one case per call', () => {
    expect(root.name).toBe('testsuites');
    expect(findAll(root, 'testsuite').map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures])).toEqual([
      ['release-api', '3', '2'],
      ['weekly-digest', '2', '2'],
    ]);
    expect(root.attrs).toMatchObject({ tests: '5', failures: '4', time: '6.500' });
  });

  it.each([
    ['release-api call 1', 'recipients', /1 forbidden, 1 invalid/],
    ['release-api call 2', 'recipients', /1 forbidden/],
    ['release-api call 3', undefined, undefined],
    ['weekly-digest call 1', 'refused', /errcode 40056: 不合法的agentid <bad> \(1 attempt\)/],
    ['weekly-digest call 2', 'unknown', /outcome unknown/],
  ] as const)('%s → failure %s', (name, type, message) => {
    const tc = findAll(root, 'testcase').find((t) => t.attrs.name === name);
    expect(tc).toBeDefined();
    const failures = findAll(tc!, 'failure');
    if (!type) return expect(failures).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.attrs.type).toBe(type);
    expect(failures[0]?.attrs.message).toMatch(message);
  });

  it('carries the hostile userid through escaping unchanged', () => {
    const tc = findAll(root, 'testcase').find((t) => t.attrs.name === 'release-api call 2');
    expect(findAll(tc!, 'failure')[0]?.text).toContain(`forbidden: ${HOSTILE} (143105: per-user daily cap reached)`);
  });

  it('replaces characters XML cannot hold', () => {
    const r = sampleReport();
    const err = r.notifications[1]?.calls[0]?.error;
    if (err) err.errmsg = 'nul\u0000 esc\u001b lone\ud800';
    const failure = findAll(parseXml(formatReportJunit(r)), 'failure')[2];
    expect(failure?.attrs.message).toContain('nul\ufffd esc\ufffd lone\ufffd');
  });

  it('shows a notification whose recipients were all skipped as a skipped case', () => {
    const r = sampleReport();
    r.notifications = [{ ...r.notifications[0]!, calls: [], recipients: {} }];
    const suite = findAll(parseXml(formatReportJunit(r)), 'testsuite')[0]!;
    expect(suite.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    expect(findAll(suite, 'skipped')[0]?.attrs.message).toBe('all 1 recipient skipped by the ledger');
  });
});

describe('formatReportSummary', () => {
  const text = formatReportSummary(sampleReport());
  it.each([
    ['totals', 'dingcast run 20261126T010203Z-abc123: 5 calls, 11 recipients (2 failed, 2 forbidden, 1 invalid, 1 unknown, 2 skipped, 1 unread, 2 read)'],
    ['a failing notification', '  FAIL release-api release-note@3: 3 calls (2 failing); 2 forbidden, 1 invalid, 1 skipped, 1 unread, 2 read'],
    ['the first error', '  FAIL weekly-digest digest@1: 2 calls (2 failing); 2 failed, 1 unknown, 1 skipped; errcode 40056: 不合法的agentid <bad> (1 attempt)'],
    ['where the files are', 'Reports: reports/20261126T010203Z-abc123/report.json, report.md, report.html, junit.xml'],
  ])('has %s', (_, line) => {
    expect(text.split('\n')).toContain(line);
  });

  it('strips terminal escape sequences from user text', () => {
    const r = sampleReport();
    r.notifications[0]!.id = 'evil\u001b[2Jid';
    expect(formatReportSummary(r, { dir: '/tmp/x' })).not.toContain('\u001b');
    expect(formatReportSummary(r, { dir: '/tmp/x' })).toContain('Reports: /tmp/x/report.json');
  });
});

describe('newRunId', () => {
  it.each([
    ['2026-11-26T01:02:03.456Z', '20261126T010203Z-abc123'],
    ['2026-01-05T23:59:59.999+08:00', '20260105T155959Z-abc123'],
  ])('%s → %s', (iso, id) => {
    expect(newRunId(new Date(iso), () => 'abc123')).toBe(id);
  });

  it('uses 6 random hex digits by default', () => {
    const ids = new Set(Array.from({ length: 20 }, () => newRunId(new Date('2026-11-26T00:00:00Z'))));
    for (const id of ids) expect(id).toMatch(/^20261126T000000Z-[0-9a-f]{6}$/);
    expect(ids.size).toBeGreaterThan(1);
  });

  it.each([
    ['a bad random suffix', new Date(0), () => 'XYZ'],
    ['an invalid date', new Date('nope'), () => 'abc123'],
    ['a year past 9999', new Date('+010000-01-01T00:00:00Z'), () => 'abc123'],
  ])('refuses %s', (_, now, random) => {
    expect(() => newRunId(now, random)).toThrow();
  });
});
