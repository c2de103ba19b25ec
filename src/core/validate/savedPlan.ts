import { createHash } from 'node:crypto';
import { checkProjectPath } from '../load/projectPath.js';
import { localMediaOf, msgIdentity } from '../media/index.js';
import { checkSendRecipients, checkSendShape, checkSendSize, formatMsgPath, msgBytes } from '../msg/index.js';
import { sha256OfMsg } from '../msg/index.js';
import { describeSchemaErrors, formatDataPath, type SchemaProblem } from '../schemaErrors.js';
import { schemaValidator } from '../schemas.js';
import { callKey } from '../send/plan.js';
import type { Plan } from '../send/types.js';

/**
 * A saved plan (`send --plan FILE`) is input like any other: someone may have edited it, by hand or by a merge.
 * Before the first call it must pass schema/plan.schema.json and every DingTalk rule the planner applied — each
 * msg's shape and 2048 bytes, each userid one id (a comma would split it into two recipients), each call's
 * recipients within the per-call caps and inside the notification's recipients, the OA status-bar recipients —
 * and its hashes and call keys must match its own content. The fingerprint (below) then proves the body is the
 * one `--save-plan` wrote for today's project and ledger.
 */
export type SavedPlanCheck = { ok: true; plan: Plan } | { ok: false; problems: string[] };

export function checkSavedPlan(value: unknown): SavedPlanCheck {
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== 'dingcast.plan/v1') {
    return { ok: false, problems: ['it is not a dingcast plan (expected "format": "dingcast.plan/v1")'] };
  }
  const validate = schemaValidator('plan');
  if (!validate(value)) {
    return { ok: false, problems: describeSchemaErrors(validate.errors ?? [], 'the plan', 'plan').map((p) => `${jsonPath(p.path)}: ${explain(p, value)}`) };
  }
  const plan = value as Plan;
  const problems: string[] = [];
  plan.notifications.forEach((n, i) => {
    const at = `notifications[${i}] (${n.id})`;
    for (const p of [...checkSendShape(n.msg), ...checkSendSize(n.msg)]) problems.push(`${at}.msg${p.path.length > 0 ? '.' + formatMsgPath(p.path) : ''}: ${p.message} (DingTalk answers ${p.errcode})`);
    for (const p of checkSendRecipients(n.msg, n.recipients, plan.app_kind)) problems.push(`${at}: ${p.message}`);
    // A local media file counts by its content (plan.ts): the hash has the file's sha256 in place of its path.
    const sha256 = sha256OfMsg(msgIdentity(n.msg, n.media?.sha256));
    if (n.media) {
      // The run reads and uploads this file: it must be the one the msg names, inside the project.
      if (localMediaOf(n.msg)?.ref !== n.media.ref) problems.push(`${at}.media.ref is not the file its msg names`);
      if (!checkProjectPath(n.media.file).ok) problems.push(`${at}.media.file ${JSON.stringify(n.media.file)} is not a path inside the project`);
    }
    if (n.sha256 !== sha256) problems.push(`${at}.sha256 does not match its msg (the msg was edited)`);
    if (n.bytes !== msgBytes(n.msg)) problems.push(`${at}.bytes says ${n.bytes} but the msg is ${msgBytes(n.msg)} bytes`);
    const users = new Set(n.recipients.users);
    const depts = new Set(n.recipients.departments.map(String));
    n.calls.forEach((c, k) => {
      const r = c.recipients;
      const outside = [...(r.userids ?? []).filter((u) => !users.has(u)), ...(r.deptIds ?? []).map(String).filter((d) => !depts.has(d))];
      if (outside.length > 0) problems.push(`${at}.calls[${k}] goes to ${outside.slice(0, 3).join(', ')}, who are not among the notification's recipients`);
      if (r.toAll && !n.recipients.all) problems.push(`${at}.calls[${k}] goes to all users, but the notification does not`);
      // A re-sent call carries the exact bytes of the attempt whose answer was lost: checked like any msg.
      if (n.each && c.msg === undefined) problems.push(`${at}.calls[${k}] has no msg: an each: notification's calls each carry their own (its msg is only a sample)`);
      let callSha = sha256;
      if (c.msg !== undefined) {
        const recorded = parseMsg(c.msg);
        if (recorded === undefined) problems.push(`${at}.calls[${k}].msg is not a JSON msg object`);
        else for (const p of [...checkSendShape(recorded), ...checkSendSize(recorded)]) problems.push(`${at}.calls[${k}].msg${p.path.length > 0 ? '.' + formatMsgPath(p.path) : ''}: ${p.message} (DingTalk answers ${p.errcode})`);
        callSha = createHash('sha256').update(c.msg).digest('hex');
        // An each: call's own file: the one its msg names, inside the project, and its content in the hash.
        if (c.media) {
          if (recorded !== undefined && localMediaOf(recorded)?.ref !== c.media.ref) problems.push(`${at}.calls[${k}].media.ref is not the file its msg names`);
          if (!checkProjectPath(c.media.file).ok) problems.push(`${at}.calls[${k}].media.file ${JSON.stringify(c.media.file)} is not a path inside the project`);
          if (recorded !== undefined) callSha = sha256OfMsg(msgIdentity(recorded, c.media.sha256));
          if (c.sha256 !== callSha) problems.push(`${at}.calls[${k}].sha256 does not match its msg and file`);
        } else if (c.sha256 !== undefined) callSha = c.sha256;
      }
      if (c.key !== callKey(n.id, callSha, plan.day, r)) problems.push(`${at}.calls[${k}].key does not match the call (its msg, day or recipients were edited)`);
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plan };
}

function parseMsg(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The saved fingerprint: the project's files and the ledger (`inputs`) and the plan's own body, so editing any of them is seen. */
export function planFingerprint(inputs: string, plan: Plan): string {
  // `quota` (what --dry-run --json adds) is a reading of the state at that moment, not part of what is sent.
  const { quota: _quota, ...body } = plan as Plan & { quota?: unknown };
  return createHash('sha256').update(inputs).update('\0').update(JSON.stringify({ ...body, fingerprint: '' })).digest('hex');
}

/** The plan as `--save-plan` writes it and `--dry-run` prints it: with the fingerprint over inputs and body. */
export function sealPlan(plan: Plan, inputs: string): Plan {
  return { ...plan, fingerprint: planFingerprint(inputs, plan) };
}

/** A userid with a comma is the classic hand edit: DingTalk joins userid_list with commas, so it would reach two people. */
function explain(p: SchemaProblem, plan: unknown): string {
  const field = p.path.findLast((x) => typeof x === 'string');
  if (p.code === 'schema/pattern' && (field === 'users' || field === 'userids' || field === 'resent_unknown')) {
    let v: unknown = plan;
    for (const step of p.path) v = (v as Record<string | number, unknown> | undefined)?.[step];
    return `${JSON.stringify(v)} is not one userid: DingTalk joins userid_list with commas, so a comma or space would address several people`;
  }
  if (p.path.length === 1 && p.path[0] === 'run_id') return 'run_id must look like 20261126T090000Z-1a2b3c (it names the reports folder)';
  return p.message;
}

function jsonPath(path: (string | number)[]): string {
  return path.length === 0 ? 'the plan' : formatDataPath(path);
}
