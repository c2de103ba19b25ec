/**
 * dingcast's programmatic API: the same steps the CLI takes, as functions and types.
 *
 *   const project = loadProject(await readProjectFiles('.'));          // pure after the read
 *   const { errors } = validateProject(project, { now: new Date() });
 *   const r = renderNotification(project, project.notifications[0], { now: new Date() });
 *   const plan = planSend({ project, ids, now, runId: newRunId(now), ledger: ledgerView(records), force: false, fingerprint: '' });
 *   const report = await applyPlan(plan, { client: createDingTalkClient(...), ledger: await openLedger('.'), wait: true, waitTimeoutMs: 120_000 });
 *   const { code } = verdictOf(report);                                   // the exit code `send` gives
 *   const sandbox = await startSandbox();                               // a local DingTalk emulator
 */

// Project: read (I/O) and load (pure).
export { readProjectFiles } from './io/readProject.js';
export { loadProject, templateIdOf } from './core/load/loadProject.js';
export type { FileText, NotificationDef, Project, ProjectConfig, ProjectFiles, Recipients, TemplateDef, Vars } from './core/project.js';
export type { YamlSource } from './core/load/yamlSource.js';

// Validate.
export { validateProject } from './core/validate/validateProject.js';
export type { Diagnostic, Severity, ValidationResult } from './core/diagnostics.js';

// Render.
export { renderNotification, renderTemplate, type NotificationRender, type RenderOccasion } from './core/renderNotification.js';
export type { RenderContext, RenderError, RenderResult } from './core/render/index.js';
export { describeRendered, type RenderedItem } from './core/rendered.js';
export { chunkRecipients, type CallRecipients } from './core/chunk.js';
export { MSG_BYTE_LIMIT, msgBytes, sha256OfMsg } from './core/msg/index.js';

// Plan and send.
export { planSend, PlanError, type PlanInput } from './core/send/plan.js';
export type { CallError, CallReport, NotificationReport, Plan, PlannedCall, PlannedNotification, RecipientStatus, Report, SendResultLists, Totals } from './core/send/types.js';
export type { DeliveryRecord, DeliveryState, LedgerView } from './core/send/ledgerView.js';
export type { IntentEntry, OutcomeEntry } from './core/send/records.js';
export { buildReport, verdictOf, type RunFacts, type Verdict } from './core/report/index.js';
export { applyPlan, type ApplyOptions, type LedgerSink } from './io/apply.js';
export { acquireLock, ledgerView, openLedger, readLedger, type LedgerEntry, type LedgerRecord, type LedgerWriter } from './io/ledger.js';
export { createDingTalkClient, type ClientEvent, type ClientOptions, type DingTalkClient, type SendOutcome, type SendProgress, type SendRequest } from './io/dingtalk/index.js';
export { computeTotals, formatReportJunit, formatReportMarkdown } from './core/report/index.js';
export { newRunId, readReport, writeReport } from './io/reports/index.js';

// Sandbox.
export { startSandbox, loadSandboxConfig, DEFAULT_APP, type Sandbox, type SandboxOptions, type SandboxConfigInput } from './sandbox/index.js';

// Preview and review.
export { renderMessageHtml, renderPage, type RenderMessageOptions } from './preview/index.js';
export {
  appendStepSummary,
  buildPreviewPage,
  diffProjects,
  formatAnnotations,
  formatDiffMarkdown,
  formatDiffText,
  readProjectFilesAt,
  scaffoldProject,
  type InitOptions,
  type InitResult,
  type NotificationChange,
  type PreviewPageOptions,
  type ProjectDiff,
  type TemplateChange,
} from './review/index.js';

// Errors keep their kind: UserError (bad input), DingTalkError (errcode != 0), TransportError (no answer).
export { DingTalkError, TransportError, UserError } from './errors.js';
