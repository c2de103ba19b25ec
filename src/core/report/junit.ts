import type { BrokenNotification, CallReport, Report } from '../send/types.js';
import { badRecipientsOfCall, describeCallRecipients, describeDiagnostic, describeError, describeForbidden, isCallBad, plural, reportedNotifications, type ReportedNotification } from './describe.js';
import { escapeXml as x } from '../escape.js';

/**
 * junit.xml for CI test tabs: one <testsuite> per notification, one <testcase> per call, numbered from 1
 * like report.md. A notification whose every recipient the ledger skipped has no calls; it gets one
 * <skipped/> case so it still shows up instead of vanishing from the CI view.
 */
export function formatReportJunit(report: Report, reported: readonly ReportedNotification[] = reportedNotifications(report)): string {
  const suites = [...reported.map((r) => formatSuite(report, r)), ...(report.broken ?? []).map((b) => formatBrokenSuite(report, b))];
  const tests = suites.reduce((sum, s) => sum + s.tests, 0);
  const failures = suites.reduce((sum, s) => sum + s.failures, 0);
  const seconds = durationSeconds(report.started_at, report.finished_at);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`dingcast ${report.run_id}`)}" tests="${tests}" failures="${failures}" errors="0" time="${seconds}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function formatSuite(report: Report, r: ReportedNotification): { xml: string; tests: number; failures: number } {
  const { n } = r;
  const cases = n.calls.map((c) => formatCase(r, c));
  const failures = n.calls.filter((c) => isCallBad(r, c)).length;
  if (cases.length === 0) {
    const why = n.skipped.length ? `all ${plural(n.skipped.length, 'recipient')} skipped by the ledger` : 'no calls';
    cases.push(`    <testcase classname="${x(`dingcast.${n.id}`)}" name="${x(`${n.id} no calls`)}" time="0">\n      <skipped message="${x(why)}"/>\n    </testcase>`);
  }
  const props = [['template', n.template], ['sha256', n.sha256], ['bytes', String(n.bytes)], ...(n.slot ? [['slot', n.slot]] : [])]
    .map(([k = '', v = '']) => `      <property name="${x(k)}" value="${x(v)}"/>`)
    .join('\n');
  const skippedOut = n.skipped.length
    ? `\n    <system-out>${x(n.skipped.map((s) => `skipped ${s.userid}: ${s.reason}`).join('\n'))}</system-out>`
    : '';
  const skippedCount = n.calls.length === 0 ? 1 : 0;
  const head = `  <testsuite name="${x(n.id)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skippedCount}" timestamp="${x(report.started_at)}" time="0">`;
  return { xml: `${head}\n    <properties>\n${props}\n    </properties>\n${cases.join('\n')}${skippedOut}\n  </testsuite>`, tests: cases.length, failures };
}

/** A notification left out for its errors: one failing case, its errors as the details. */
function formatBrokenSuite(report: Report, b: BrokenNotification): { xml: string; tests: number; failures: number } {
  const first = b.diagnostics[0];
  const message = `not sent: ${plural(b.diagnostics.length, 'error')}${first ? ` (${describeDiagnostic(first)})` : ''}`;
  const details = b.diagnostics.map((d) => describeDiagnostic(d) + (d.hint ? `\n  hint: ${d.hint}` : '')).join('\n');
  const head = `  <testsuite name="${x(b.id)}" tests="1" failures="1" errors="0" skipped="0" timestamp="${x(report.started_at)}" time="0">`;
  const kase = `    <testcase classname="${x(`dingcast.${b.id}`)}" name="${x(`${b.id} not sent`)}" time="0">\n      <failure message="${x(message)}" type="invalid">${x(details)}</failure>\n    </testcase>`;
  return { xml: `${head}\n${kase}\n  </testsuite>`, tests: 1, failures: 1 };
}

function formatCase(r: ReportedNotification, c: CallReport): string {
  const n = r.n;
  const open = `    <testcase classname="${x(`dingcast.${n.id}`)}" name="${x(`${n.id} call ${c.index + 1}`)}" time="0">`;
  if (!isCallBad(r, c)) return `${open}</testcase>`;
  const { message, type, details } = describeFailure(r, c);
  return `${open}\n      <failure message="${x(message)}" type="${type}">${x(details)}</failure>\n    </testcase>`;
}

function describeFailure(r: ReportedNotification, c: CallReport): { message: string; type: string; details: string } {
  const details = [`recipients: ${describeCallRecipients(c)}`, `state: ${c.state}`];
  if (c.task_id !== undefined) details.push(`task_id: ${c.task_id}`);
  if (c.error) details.push(`error (${c.error.kind}): ${describeError(c.error)}`);
  const bad = badRecipientsOfCall(r, c);
  const reasons = r.reasons;
  for (const [u, s] of bad) details.push(`${s}: ${u}${s === 'forbidden' && reasons[u] ? ` (${describeForbidden(reasons[u])})` : ''}`);
  if (c.result?.invalid_dept_id_list.length) details.push(`invalid departments: ${c.result.invalid_dept_id_list.join(', ')}`);
  if (c.error) return { message: describeError(c.error), type: c.error.kind === 'dingtalk' ? 'refused' : c.error.kind, details: details.join('\n') };
  if (c.state === 'unknown') return { message: 'outcome unknown: the run stopped between sending and the answer', type: 'unknown', details: details.join('\n') };
  if (c.state === 'failed') return { message: 'call failed', type: 'refused', details: details.join('\n') };
  const counts = new Map<string, number>();
  for (const s of bad.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
  const depts = c.result?.invalid_dept_id_list.length ?? 0;
  const message = [...[...counts].map(([s, k]) => `${k} ${s}`), ...(depts ? [`${depts} invalid department${depts === 1 ? '' : 's'}`] : [])].join(', ');
  return { message: `recipients not reached: ${message}`, type: 'recipients', details: details.join('\n') };
}

function durationSeconds(from: string, to: string): string {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}
