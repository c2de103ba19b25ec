import pc from 'picocolors';
import type { Plan } from '../core/send/types.js';

/** The plan as people read it; `send --dry-run` prints exactly the plan `send` applies. */
export function formatPlan(plan: Plan): string {
  const lines = [pc.bold(`plan ${plan.run_id} — ${plan.day} (${plan.timezone})${plan.force ? ' — FORCE: the ledger is ignored' : ''}`)];
  for (const n of plan.notifications) {
    const who = n.recipients.all ? 'everyone' : `${n.recipients.users.length} user(s), ${n.recipients.departments.length} department(s)`;
    lines.push(`  ${pc.cyan(n.id)} ${n.template} — ${n.bytes}/2048 bytes, sha256 ${n.sha256.slice(0, 12)} — ${who} in ${n.calls.length} call(s)${n.slot ? ` — slot ${n.slot}` : ''}`);
    for (const c of n.calls) {
      const parts = [c.recipients.toAll ? 'to_all_user' : '', c.recipients.userids ? `${c.recipients.userids.length} users` : '', c.recipients.deptIds ? `depts ${c.recipients.deptIds.join(',')}` : ''].filter(Boolean);
      lines.push(`    call ${c.index + 1}: ${parts.join(' + ')}`);
    }
    if (n.skipped.length > 0) {
      lines.push(`    ${pc.yellow(`skipped ${n.skipped.length}`)}: ${n.skipped.slice(0, 10).map((s) => s.userid).join(', ')}${n.skipped.length > 10 ? ', …' : ''} — ${n.skipped[0]?.reason ?? ''}`);
    }
  }
  for (const w of plan.warnings) lines.push(pc.yellow(`  warning: ${w}`));
  lines.push(`  API calls: ${plan.api_calls.send} send + ~${plan.api_calls.follow_up} follow-up = ~${plan.api_calls.total}`);
  return lines.join('\n') + '\n';
}
