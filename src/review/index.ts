// Review and adoption: the HTML preview page, rendered diffs between git revisions, GitHub Actions output, init.
export { buildPreviewPage, type PreviewPageOptions } from './previewPage.js';
export { diffProjects, type ProjectDiff, type NotificationChange } from './diffProjects.js';
export type { TemplateChange } from './diffTemplates.js';
export { formatDiffText } from './formatDiffText.js';
export { formatDiffMarkdown } from './formatDiffMarkdown.js';
export { readProjectFilesAt } from './gitProject.js';
export { appendStepSummary } from './stepSummary.js';
export { formatAnnotations } from './annotations.js';
export { scaffoldProject, type InitOptions, type InitResult } from './init.js';
