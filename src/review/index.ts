// Review and adoption: the HTML preview page, rendered diffs between git revisions, GitHub Actions output, init.
export { buildPreviewPage, type PreviewPageOptions } from './previewPage.js';
export { formatRenderSummary } from './renderSummary.js';
export { diffProjects, type ProjectDiff, type NotificationChange, type Change, type ListChange, type ChangeStatus, type DiffLabels } from './diffProjects.js';
export type { TemplateChange, ExampleChange } from './diffTemplates.js';
export { diffLines, unifiedDiff, type DiffLine, type UnifiedDiffOptions } from './lineDiff.js';
export { msgAsText, type RenderSnapshot } from './snapshot.js';
export { formatDiffText, type DiffHeading } from './formatDiffText.js';
export { formatDiffMarkdown, DIFF_COMMENT_MARKER } from './formatDiffMarkdown.js';
export { findRepo, resolveBase, type Repo, type BaseRevision } from './git.js';
export { readProjectFilesAt } from './gitProject.js';
export { appendStepSummary, isGitHubActions } from './stepSummary.js';
export { formatAnnotations, formatAnnotation, annotationPrefix } from './annotations.js';
export { scaffoldProject, type InitOptions, type InitResult } from './init.js';
