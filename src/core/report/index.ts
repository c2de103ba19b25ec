export { buildReport, type RunFacts } from './build.js';
export { forbiddenReason, notificationReport } from './notification.js';
export { computeTotals, effectiveStatuses } from './totals.js';
export { BAD_STATUSES, verdictOf, type Verdict } from './verdict.js';
export { formatReportJunit } from './junit.js';
export { formatReportMarkdown } from './markdown.js';
export { formatReportSummary } from './summary.js';
export { REPORT_FILES } from './files.js';
