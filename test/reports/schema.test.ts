import { describe, expect, it } from 'vitest';
import type { CallRecipients } from '../../src/core/chunk.js';
import type { BrokenDiagnostic, BrokenNotification, CallError, CallReport, NotificationReport, Report, SendResultLists, Totals } from '../../src/core/send/types.js';
import { newAjv } from '../../src/core/validate/ajv.js';
import { loadSchema } from '../helpers/schemaFile.js';
import { sampleReport } from './_report.js';

/**
 * Each TS type's keys, marked required (true) or optional (false). The mapped type makes tsc fail when a
 * field is added to or removed from src/core/send/types.ts, and the test below fails when the schema
 * disagrees: together they keep schema/report.schema.json and the types in step.
 */
type Shape<T> = { [K in keyof T]-?: undefined extends T[K] ? false : true };

const report: Shape<Report> = {
  format: true, run_id: true, started_at: true, finished_at: true, timezone: false, endpoint: true,
  agent_id: false, dry_run: true, force: true, sandbox: true, followed_up: false, stopped: false, read_history: false, broken: false, notifications: true, totals: true, api_calls: true,
};
const notification: Shape<NotificationReport> = {
  id: true, template: true, sha256: true, bytes: true, calls: true, skipped: true, recipients: true, forbidden_reasons: true, slot: false, msg: false, reminder: false, reminders: false,
};
const call: Shape<CallReport> = {
  key: true, index: true, recipients: true, task_id: false, progress: false, result: false, error: false, state: true, attempts: true, recalled_at: false, status_bar: false,
};
const brokenNotification: Shape<BrokenNotification> = { id: true, diagnostics: true };
const brokenDiagnostic: Shape<BrokenDiagnostic> = { file: true, line: true, column: true, code: true, message: true, hint: false };
const callRecipients: Shape<CallRecipients> = { userids: false, deptIds: false, toAll: false };
const sendResult: Shape<SendResultLists> = {
  invalid_user_id_list: true, forbidden_user_id_list: true, failed_user_id_list: true, read_user_id_list: true,
  unread_user_id_list: true, invalid_dept_id_list: true, forbidden_list: true,
};
const callError: Shape<CallError> = { kind: true, errcode: false, errmsg: true, attempts: true };
const totals: Shape<Totals> = {
  calls: true, recipients: true, read: true, unread: true, failed: true, forbidden: true, invalid: true, skipped: true, unknown: true,
};

interface ObjectSchema {
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties: unknown;
}
const schema = loadSchema('report') as unknown as ObjectSchema & { definitions: Record<string, ObjectSchema> };
const defs = schema.definitions;

describe('schema/report.schema.json mirrors src/core/send/types.ts', () => {
  it.each([
    ['Report', schema, report],
    ['NotificationReport', defs.notification, notification],
    ['CallReport', defs.call, call],
    ['CallRecipients', defs.callRecipients, callRecipients],
    ['SendResultLists', defs.sendResult, sendResult],
    ['CallError', defs.callError, callError],
    ['Totals', defs.totals, totals],
    ['BrokenNotification', defs.brokenNotification, brokenNotification],
    ['BrokenDiagnostic', defs.brokenDiagnostic, brokenDiagnostic],
  ] as const)('%s: same fields, same required ones, nothing else allowed', (_, s, shape) => {
    expect(s).toBeDefined();
    expect(Object.keys(s!.properties).sort()).toEqual(Object.keys(shape).sort());
    const required = Object.entries(shape).filter(([, r]) => r).map(([k]) => k);
    expect([...(s!.required ?? [])].sort()).toEqual(required.sort());
    expect(s!.additionalProperties).toBe(false);
  });

  it('enumerates exactly the TS unions', () => {
    const statuses: Record<NotificationReport['recipients'][string], true> = { read: true, unread: true, failed: true, forbidden: true, invalid: true, skipped: true, unknown: true };
    const states: Record<CallReport['state'], true> = { sent: true, failed: true, unknown: true };
    const kinds: Record<CallError['kind'], true> = { dingtalk: true, transport: true, internal: true };
    const enumOf = (s: unknown) => [...(s as { enum: string[] }).enum].sort();
    expect(enumOf(defs.recipientStatus)).toEqual(Object.keys(statuses).sort());
    expect(enumOf(defs.call?.properties.state)).toEqual(Object.keys(states).sort());
    expect(enumOf((defs.callError?.properties.kind))).toEqual(Object.keys(kinds).sort());
  });
});

describe('validation', () => {
  const validate = newAjv(true).compile(loadSchema('report'));
  const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

  it('accepts the sample report', () => {
    expect(validate(json(sampleReport())), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each<[string, (r: Record<string, unknown> & ReturnType<typeof sampleReport>) => void]>([
    ['a wrong format', (r) => void Object.assign(r, { format: 'dingcast.report/v2' })],
    ['a malformed run id', (r) => void Object.assign(r, { run_id: '2026-11-26' })],
    ['an endpoint with a query string', (r) => void Object.assign(r, { endpoint: 'https://oapi.dingtalk.com/?x=1' })],
    ['an unknown top-level field', (r) => void Object.assign(r, { token: 'x' })],
    ['an unknown recipient status', (r) => void Object.assign(r.notifications[0]!.recipients, { zhangsan: 'delivered' })],
    ['an unknown call state', (r) => void Object.assign(r.notifications[0]!.calls[0]!, { state: 'done' })],
    ['a call without attempts', (r) => void delete (r.notifications[0]!.calls[0] as Partial<CallReport>).attempts],
    ['a template without a version', (r) => void Object.assign(r.notifications[0]!, { template: 'release-note' })],
    ['a short sha256', (r) => void Object.assign(r.notifications[0]!, { sha256: 'abc' })],
    ['a missing total', (r) => void delete (r.totals as Partial<Totals>).unknown],
    ['a progress status of 3', (r) => void Object.assign(r.notifications[0]!.calls[0]!, { progress: { percent: 100, status: 3 } })],
  ])('rejects %s', (_, mutate) => {
    const r = sampleReport() as Record<string, unknown> & ReturnType<typeof sampleReport>;
    mutate(r);
    expect(validate(json(r))).toBe(false);
  });
});
