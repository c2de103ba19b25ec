// Writing and reading reports; the report value and its text formats are pure, in src/core/report.
export { writeReport, readReport } from './write.js';
export { newRunId } from './runId.js';
