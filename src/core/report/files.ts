import type { Report } from '../send/types.js';
import type { ReportedNotification } from './describe.js';
import { formatReportJunit } from './junit.js';
import { formatReportMarkdown } from './markdown.js';
import { formatReportHtml } from '../../preview/report.js';

/**
 * The report's text files beside report.json, by file name: the writer writes each, a new format is one line. Each
 * gets the notifications' status maps the writer built once for all of them (describe.ts reportedNotifications).
 */
export const REPORT_FILES: Readonly<Record<string, (report: Report, reported: readonly ReportedNotification[]) => string>> = {
  'report.md': formatReportMarkdown,
  'junit.xml': formatReportJunit,
  // The run at a glance for people: each card as DingTalk shows it, read rates, who it failed for.
  'report.html': formatReportHtml,
};
