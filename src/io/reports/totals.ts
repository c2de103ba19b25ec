// Totals are part of the report value, assembled in the pure core.
export { computeTotals, effectiveStatuses } from '../../core/report/index.js';
