export { buildReport, type RunFacts } from './build.js';
export { forbiddenReason, notificationReport } from './notification.js';
export { computeTotals, effectiveStatuses } from './totals.js';
export { BAD_STATUSES, verdictOf, type Verdict } from './verdict.js';
