import pc from 'picocolors';
import type { ReminderPreview } from '../core/send/remind.js';
import { formatInZone } from '../core/time.js';

/**
 * A dry run's unread reminders as people read them: which reminder, of which run, to whom, and the calls it costs.
 * Nothing was asked: who is unread is known only when the reminder is sent (getsendresult), so `due` ones name the
 * people it may reach and count its sends as "at most".
 */
export function formatReminders(previews: readonly ReminderPreview[], notes: readonly string[], timezone: string, now: Date): string {
  const lines: string[] = [];
  if (previews.length > 0) lines.push(pc.bold(`unread reminders (dry run: DingTalk was not asked who has read, nothing was sent)`));
  for (const p of previews) {
    const sent = `run ${p.run}, sent ${formatInZone(new Date(p.sent_at), timezone)} (${ago(now.getTime() - Date.parse(p.sent_at))} ago)`;
    if (p.state === 'later') {
      lines.push(`  ${pc.cyan(p.id)} ${p.template} — not due until ${formatInZone(new Date(p.due_at), timezone)} (in ${ago(Date.parse(p.due_at) - now.getTime())}): reminds ${p.notification} of ${sent}`);
      lines.push(`    then to the unread among ${audience(p)}`);
      continue;
    }
    lines.push(`  ${pc.cyan(p.id)} ${p.template} — ${p.state === 'due' ? 'due' : 'owed since an earlier run stopped'}: reminds ${p.notification} of ${sent}`);
    lines.push(p.state === 'due' ? `    to the unread among ${audience(p)} (getsendresult says who when it is sent)` : `    to ${people(p.users)} (decided by that run; nobody is asked again)`);
    const c = p.calls;
    const most = p.state === 'due' ? 'at most ' : '';
    lines.push(`    API calls: ${c.getsendresult > 0 ? `${c.getsendresult} getsendresult + ` : ''}${most}${c.send} send + ~${c.follow_up} follow-up = ${most}~${c.getsendresult + c.send + c.follow_up}`);
  }
  for (const n of notes) lines.push(`  ${n}`);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

/** Calls the due and owed reminders may make (the `later` ones are not part of this run). */
export function reminderCalls(previews: readonly ReminderPreview[]): number {
  return previews.filter((p) => p.state !== 'later').reduce((s, p) => s + p.calls.getsendresult + p.calls.send + p.calls.follow_up, 0);
}

/** The people a reminder may reach: the run's userids, and the people of its departments (or everyone). */
function audience(p: ReminderPreview): string {
  const depts = p.departments ?? [];
  if (depts.length === 0) return people(p.users);
  const named = depts.includes('all') ? 'the whole company' : `department${depts.length > 1 ? 's' : ''} ${depts.join(', ')}`;
  return p.users.length > 0 ? `${people(p.users)} and the people of ${named}` : `the people of ${named}`;
}

function people(users: readonly string[]): string {
  const shown = users.slice(0, 10).join(', ');
  return `${users.length} ${users.length === 1 ? 'person' : 'people'}: ${shown}${users.length > 10 ? `, and ${users.length - 10} more` : ''}`;
}

function ago(ms: number): string {
  const m = Math.max(0, Math.floor(ms / 60_000));
  return m >= 60 ? `${Math.floor(m / 60)}h${m % 60 > 0 ? `${m % 60}m` : ''}` : `${m}m`;
}
