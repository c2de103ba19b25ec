export { buildReport, type RunFacts } from './build.js';
export { notificationReport } from './notification.js';
export { computeTotals } from './totals.js';
export { verdictOf, type Verdict } from './verdict.js';
export { formatReportJunit } from './junit.js';
export { formatReportMarkdown } from './markdown.js';
export { formatReportSummary } from './summary.js';
export { reportedNotifications, type ReportedNotification } from './describe.js';
