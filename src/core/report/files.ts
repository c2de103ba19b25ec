import type { Report } from '../send/types.js';
import { formatReportJunit } from './junit.js';
import { formatReportMarkdown } from './markdown.js';

/** The report's text files beside report.json, by file name: the writer writes each, a new format is one line. */
export const REPORT_FILES: Readonly<Record<string, (report: Report) => string>> = {
  'report.md': formatReportMarkdown,
  'junit.xml': formatReportJunit,
};
