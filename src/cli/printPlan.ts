import pc from 'picocolors';
import { isTemplateSend, templateDataJson, templateSendBody } from '../core/msg/index.js';
import { clock } from '../core/send/decide.js';
import type { Plan, PlannedCall } from '../core/send/types.js';
import { formatInZone } from '../core/time.js';

/** The plan as people read it; `send --dry-run` prints exactly the plan `send` applies. */
export function formatPlan(plan: Plan): string {
  const lines = [pc.bold(`plan ${plan.run_id} — ${planTime(plan)} (${plan.timezone})${plan.force ? ' — FORCE: the ledger is ignored' : ''}`)];
  for (const n of plan.notifications) {
    const who = n.recipients.all ? 'everyone' : `${n.recipients.users.length} user(s), ${n.recipients.departments.length} department(s)`;
    // A sendbytemplate send: the template id and the size of its data string (DingTalk documents no limit for it).
    const what = isTemplateSend(n.msg) ? `sendbytemplate ${templateSendBody(n.msg).templateId}, data ${templateDataJson(n.msg).bytes} bytes` : `${n.each ? `up to ${n.each.max_bytes}` : n.bytes}/2048 bytes`;
    lines.push(`  ${pc.cyan(n.id)} ${n.template} — ${what}, sha256 ${n.sha256.slice(0, 12)} — ${who} in ${n.calls.length} call(s)${n.slot ? ` — slot ${n.slot}` : ''}`);
    if (n.each) {
      const masked = n.each.sensitive.length > 0 ? ` — masked: ${n.each.sensitive.join(', ')}` : '';
      lines.push(`    one message per row of ${n.each.file}: ${n.each.rows} row(s), ${n.each.messages} distinct message(s) to send${masked}`);
      lines.push(`    sample: ${sampleText(n.msg)}`);
    }
    if (n.mobiles?.length) {
      const shown = n.mobiles.slice(0, 5).map((m) => `mobile:${m.mobile} → ${m.userid}`);
      lines.push(`    ${shown.join(', ')}${n.mobiles.length > 5 ? `, and ${n.mobiles.length - 5} more mobile(s)` : ''}`);
    }
    if (n.each?.changed) {
      for (const c of n.each.changed) lines.push(`    ${pc.yellow('changed')} since run ${c.run} at ${clock(c.at, plan.timezone)}: ${c.rows} row(s) — ${c.users.join(', ')}${c.rows > c.users.length ? ', …' : ''}: sending their new version`);
    } else if (n.changed_since) lines.push(`    ${pc.yellow('changed')} since run ${n.changed_since.run} at ${clock(n.changed_since.at, plan.timezone)}: sending the new version`);
    if (n.resent_unknown?.length) lines.push(`    resending ${n.resent_unknown.length} recipient(s) whose earlier answer was lost, with that attempt's exact bytes`);
    if (n.resent_failed) lines.push(`    resending ${n.resent_failed} recipient(s) DingTalk failed or rate-limited (143103/143104) in an earlier run`);
    // Identical consecutive calls collapse into one line: a 10,000-user send is 100 calls of 100.
    if (n.media) {
      const how = n.media.media_id !== undefined ? `media_id ${n.media.media_id} (uploaded earlier, file unchanged)` : n.calls.length > 0 ? 'uploaded by this run' : 'not needed';
      lines.push(`    ${n.media.type} ${n.media.file} (${n.media.bytes} bytes, sha256 ${n.media.sha256.slice(0, 12)}) — ${how}`);
    }
    // An each: notification's files, one line per distinct content (a banner for all, or one per person).
    const files = new Map(n.calls.flatMap((c) => (c.media ? [[`${c.media.type}:${c.media.sha256}`, c.media] as const] : [])));
    for (const m of [...files.values()].slice(0, 3)) {
      lines.push(`    ${m.type} ${m.file} (${m.bytes} bytes, sha256 ${m.sha256.slice(0, 12)}) — ${m.media_id !== undefined ? `media_id ${m.media_id} (uploaded earlier, file unchanged)` : 'uploaded by this run'}`);
    }
    if (files.size > 3) lines.push(`    and ${files.size - 3} more file(s)`);
    for (const run of runsOf(n.calls.map((c) => describeCall(c, n.each !== undefined)))) lines.push(`    ${run.from === run.to ? `call ${run.from + 1}` : `calls ${run.from + 1}–${run.to + 1}`}: ${run.value}`);
    const reasons = new Map<string, string[]>();
    for (const s of n.skipped) {
      const who = reasons.get(s.reason);
      if (who) who.push(s.userid);
      else reasons.set(s.reason, [s.userid]);
    }
    for (const [reason, who] of reasons) {
      lines.push(`    ${pc.yellow(`skipped ${who.length}`)}: ${who.slice(0, 10).join(', ')}${who.length > 10 ? ', …' : ''} — ${reason}`);
    }
  }
  for (const w of plan.warnings) lines.push(pc.yellow(`  warning: ${w}`));
  const upload = plan.api_calls.upload ? ` + ${plan.api_calls.upload} media upload` : '';
  lines.push(`  API calls: ${plan.api_calls.send} send + ~${plan.api_calls.follow_up} follow-up${upload} = ~${plan.api_calls.total}`);
  return lines.join('\n') + '\n';
}

/** One line of a sample msg: its title and text, shortened (the full msg is in `--json`). */
function sampleText(msg: Record<string, unknown>): string {
  const strings: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (k !== 'msgtype') walk(x);
  };
  walk(msg);
  const text = strings.join(' | ').replace(/\s+/g, ' ');
  return [...text].length > 120 ? `${[...text].slice(0, 119).join('')}…` : text;
}

function describeCall(c: PlannedCall, perPerson: boolean): string {
  if (perPerson) return `${c.recipients.userids?.length ?? 0} user(s), a message of their own`;
  // The people a department or to_all_user call reaches (the directory's sizes): what the 5000-a-minute pacing counts.
  const reach = c.reach !== undefined ? ` (${c.reach} people)` : '';
  return [c.recipients.toAll ? `to_all_user${reach}` : '', c.recipients.userids ? `${c.recipients.userids.length} users` : '', c.recipients.deptIds ? `depts ${c.recipients.deptIds.join(',')}${c.recipients.toAll ? '' : reach}` : '', c.msg !== undefined ? '(the earlier attempt\'s bytes)' : ''].filter(Boolean).join(' + ');
}

/** Consecutive equal values as ranges of indexes. */
export function runsOf(values: string[]): { from: number; to: number; value: string }[] {
  const out: { from: number; to: number; value: string }[] = [];
  values.forEach((value, i) => {
    const last = out[out.length - 1];
    if (last && last.value === value) last.to = i;
    else out.push({ from: i, to: i, value });
  });
  return out;
}

/** When the plan was made, as people where the project is read it; its date is the day the once-a-day rule counts. */
function planTime(plan: Plan): string {
  try {
    return formatInZone(new Date(plan.created_at), plan.timezone);
  } catch {
    return plan.day;
  }
}
