export { computeTotals } from './totals.js';
export { formatReportMarkdown } from './markdown.js';
export { formatReportJunit } from './junit.js';
export { formatReportSummary } from './summary.js';
export { writeReport, readReport } from './write.js';
export { newRunId, RUN_ID_PATTERN } from './runId.js';
