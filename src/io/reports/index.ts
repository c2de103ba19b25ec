// Writing and reading reports; the report value and its text formats are pure, in src/core/report.
export { writeReport, readReport } from './write.js';
export { newRunId, RUN_ID_PATTERN } from './runId.js';
