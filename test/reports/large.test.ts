import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verdictOf } from '../../src/core/report/index.js';
import type { Report } from '../../src/core/send/types.js';
import { formatReportMarkdown, formatReportSummary, reportedNotifications } from '../../src/core/report/index.js';
import { writeReport } from '../../src/io/reports/index.js';
import { largeReport } from './_large.js';
import { sampleReport } from './_report.js';

/** Counts how often anything lists a notification's recipients (a for-in, Object.keys, JSON.stringify). */
function countListings(report: Report): () => number {
  let count = 0;
  for (const n of report.notifications) {
    n.recipients = new Proxy(n.recipients, {
      ownKeys(target) {
        count++;
        return Reflect.ownKeys(target);
      },
    });
  }
  return () => count;
}

describe('a 10,000-recipient report', () => {
  it('is written whole: every recipient in report.json, identical calls one line in report.md', async () => {
    const report = largeReport(10_000);
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-large-'));
    const written = await writeReport(dir, report);
    const json = JSON.parse(readFileSync(join(written.dir, 'report.json'), 'utf8')) as Report;
    expect(Object.keys(json.notifications[0]?.recipients ?? {})).toHaveLength(10_000);
    expect(json.totals).toMatchObject({ calls: 100, recipients: 10_000, unread: 10_000 });
    const md = readFileSync(join(written.dir, 'report.md'), 'utf8');
    const rows = md.split('\n').filter((l) => /^\| \d+(–\d+)? \| \d+ users/.test(l));
    expect(rows).toEqual(['| 1–100 | 100 users | 100 tasks (1000 … 1099) | sent | 100% done | — |']);
    expect(verdictOf(report).code).toBe(0);
  });

  it('names the first ten failing recipients on the console, and counts the rest', () => {
    const report = largeReport(10_000, 100);
    const summary = formatReportSummary(report);
    expect(summary).toMatch(/failed \(100\): u100, u200, u300, u400, u500, u600, u700, u800, u900, u1000, and 90 more/);
    expect(verdictOf(report)).toMatchObject({ code: 1, reasons: ['100 recipient(s) failed'] });
    // Calls with a failed user differ from clean ones only by their result: still one row each run of equals.
    expect(summary.split('\n').length).toBeLessThan(10);
  });

  it('works out each recipient\'s status once per write, shared by every file, the step summary and the console (issue 9)', async () => {
    // Two notifications of several calls each: report.md's overview is drawn too (it used to list them once per call).
    const report = sampleReport();
    expect(report.notifications.length).toBe(2);
    const listings = countListings(report);
    const dir = mkdtempSync(join(tmpdir(), 'dingcast-once-'));
    // As `report --refresh` writes: report.json's text lists each notification's recipients once, and the
    // statuses are worked out once for report.md, junit.xml and report.html together.
    await writeReport(dir, report);
    expect(listings()).toBe(2 + 2);
    // As `send` finishes: built once, passed to the files, the step summary and the console.
    const reported = reportedNotifications(report);
    await writeReport(dir, report, [], reported);
    formatReportMarkdown(report, reported);
    formatReportSummary(report, { reported });
    expect(listings()).toBe(4 + 2 + 2);
  });
});

