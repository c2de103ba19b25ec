import { chunkDistinct } from '../chunk.js';
import { callKey } from './callKey.js';
import { changedSince } from './changedSince.js';
import { planEach } from './planEach.js';
import { PlanError } from './planError.js';
import { mediaKey, msgIdentity, planMedia, uploadsNeeded } from '../media/index.js';
import { msgBytes } from '../msg/index.js';
import { sha256OfMsg } from '../msg/index.js';
import type { NotificationDef, Project, Recipients } from '../project.js';
import { renderNotification } from '../renderNotification.js';
import { dayIn } from './day.js';
import { definitionIdentity } from './identity.js';
import type { DeliveryRecord, LedgerView } from './ledgerView.js';
import { decideRecipient, indexDeliveries, sendsToEveryone, type Decision } from './decide.js';
import { callReach, recipientSizes, unknownSizes } from './reach.js';
import type { DirectoryIndex } from '../recipients/directory.js';
import type { Plan, PlannedCall, PlannedNotification } from './types.js';

export interface PlanInput {
  project: Project;
  /** Notification ids to send (already resolved: `--all` means every enabled one). */
  ids: string[];
  now: Date;
  runId: string;
  ledger: LedgerView;
  force: boolean;
  /** Hash of the project files and the ledger, computed at the edge. */
  fingerprint: string;
  /** Per-notification schedule slot (send --due). */
  slots?: Record<string, string>;
  /** Per notification, the only recipient keys to consider (`send --due` re-sending a fired slot's failures). */
  only?: Record<string, readonly string[]>;
  /** media_ids uploaded earlier to this target, by `type:sha256` of the file (a local file with one is not uploaded again). */
  mediaIds?: ReadonlyMap<string, string>;
  /** Per notification, the occurrence and identity in place of the slot/day and the declared definition (reminders: core/send/remind.ts). */
  occurrences?: Record<string, { occurrence: string; identity: string }>;
  /** The pulled directory: how many people each department reaches, which the 5000-recipients-a-minute pacing counts. */
  org?: DirectoryIndex;
  /** No warning for department sizes the directory does not give (the in-process sandbox: its company is far below the cap). */
  quietUnknownSizes?: boolean;
}

export { callKey };

export { PlanError };

/** DingTalk's per-user daily caps (dingtalk-api.md: internal 500, ISV 100). */
export const DAILY_CAP = { internal: 500, isv: 100 } as const;
export const TO_ALL_PER_DAY = 3;

/**
 * Decide every call of a run. A send is identified by what the user declared plus its occurrence (the slot of
 * `--due`, else the day) and the recipient (design.md §6), so the same command run again sends nothing, even when
 * the template prints the clock. Recipients whose earlier attempt has no answer are sent the exact bytes of that
 * attempt; those DingTalk failed or rate-limited are sent again; identical bytes already delivered today are
 * skipped, because DingTalk would drop them and still answer "ok".
 */
export function planSend(input: PlanInput): Plan {
  const { project, now } = input;
  const day = dayIn(now, project.config.timezone);
  const index = indexDeliveries(input.ledger.deliveries, day);
  const warnings: string[] = [];
  const notifications: PlannedNotification[] = [];

  for (const id of input.ids) {
    const n = project.notifications.find((x) => x.id === id);
    if (!n) throw new PlanError(`no notification named \`${id}\``, id);
    const slot = input.slots?.[n.id];
    if (n.each) {
      const occurrence = input.occurrences?.[n.id]?.occurrence;
      const planned = planEach({ project, n, each: n.each, index, day, now, runId: input.runId, force: input.force, ...(slot !== undefined ? { slot } : {}), ...(occurrence !== undefined ? { occurrence } : {}), ...(input.mediaIds ? { mediaIds: input.mediaIds } : {}) });
      warnings.push(...capWarnings(n, planned.recipients, index.today, project.config.appKind, day));
      notifications.push(planned);
      continue;
    }
    const r = renderNotification(project, n, { now, runId: input.runId, ...(slot !== undefined ? { slot } : {}) });
    if (!r.ok) throw new PlanError(`notification \`${id}\` does not render: ${r.errors.map((e) => e.message).join('; ')}`, id);
    // A local file (`media_id: ./assets/x.png`) counts by its content: a changed file is a new send, a renamed one is not.
    const media = planMedia(r.msg, project.media, input.mediaIds ?? new Map());
    const sha256 = sha256OfMsg(msgIdentity(r.msg, media?.sha256));
    const given = input.occurrences?.[n.id];
    const identity = given?.identity ?? definitionIdentity(n, r.template, media ? mediaKey(media.type, media.sha256) : undefined);
    const occurrence = given?.occurrence ?? slot ?? day;
    const here = { notification: n.id, identity, occurrence, sha256, day, force: input.force, timezone: project.config.timezone };

    const skipped: { userid: string; reason: string }[] = [];
    const fresh: Recipients = { users: [], departments: [], all: false };
    const retries = new Map<string, { sha256: string; to: Recipients; run: string }>();
    const resentUnknown: string[] = [];
    let resentFailed = 0;
    const only = input.only?.[n.id] ? new Set(input.only[n.id]) : undefined;
    const place = (key: string, d: Decision, add: (to: Recipients) => void): void => {
      if (only && !only.has(key)) return;
      if (d.kind === 'skip') skipped.push({ userid: key.replace(/^user:/, ''), reason: d.reason });
      else if (d.kind === 'repeat') {
        const group = retries.get(d.msg) ?? { sha256: d.sha256, to: { users: [], departments: [], all: false }, run: d.run };
        retries.set(d.msg, group);
        add(group.to);
        resentUnknown.push(key.replace(/^user:/, ''));
      } else {
        if (d.kind === 'again') resentFailed++;
        add(fresh);
      }
    };
    const users = dedupe(n.to.users);
    if (sendsToEveryone(index, here)) fresh.users = only ? users.filter((u) => only.has(`user:${u}`)) : users;
    else for (const u of users) place(`user:${u}`, decideRecipient(index, here, `user:${u}`), (to) => to.users.push(u));
    for (const dept of dedupeIds(n.to.departments)) place(`dept:${dept}`, decideRecipient(index, here, `dept:${dept}`), (to) => to.departments.push(dept));
    if (n.to.all) place('all', decideRecipient(index, here, 'all'), (to) => (to.all = true));

    const to = mergeRecipients(fresh, ...[...retries.values()].map((g) => g.to));
    const sizes = recipientSizes(to, input.org);
    const calls: PlannedCall[] = [];
    const addCalls = (to: Recipients, callSha: string, msg?: string) => {
      // Users and departments go in separate calls: getsendresult answers only for tasks of at most 100
      // recipients, so a users-only call gets every user's outcome, and a department call is followed by progress.
      const parts: Recipients[] = to.all ? [to] : [{ users: to.users, departments: [], all: false }, { users: [], departments: to.departments, all: false }];
      for (const c of parts.flatMap((p) => (p.all || p.users.length > 0 || p.departments.length > 0 ? chunkDistinct(p, project.config.limits) : []))) {
        const call: PlannedCall = { key: callKey(n.id, callSha, day, c), index: calls.length, recipients: c };
        if (msg !== undefined) call.msg = msg;
        // Only calls to departments or everyone: a users-only call's reach is its userids, which the client counts.
        const reach = c.deptIds || c.toAll ? callReach(c, sizes) : undefined;
        if (reach !== undefined) call.reach = reach;
        calls.push(call);
      }
    };
    // Lost answers first: they resend bytes DingTalk may already hold, and the rest of the run does not depend on them.
    for (const [msg, group] of retries) addCalls(group.to, group.sha256, msg);
    addCalls(fresh, sha256);

    warnings.push(...capWarnings(n, to, index.today, project.config.appKind, day));
    const unknown = unknownSizes(to, sizes);
    if (unknown.length > 0 && !input.quietUnknownSizes) warnings.push(unknownSizeWarning(n.id, unknown, input.org !== undefined));
    const planned: PlannedNotification = { id: n.id, template: `${r.template.id}@${r.template.version}`, msg: r.msg, sha256, bytes: msgBytes(r.msg), identity, occurrence, recipients: to, calls, skipped };
    const changed = changedSince(index.byNotification.get(n.id)?.values() ?? [], identity, occurrence);
    if (changed) planned.changed_since = changed;
    if (resentUnknown.length > 0) planned.resent_unknown = resentUnknown;
    if (resentFailed > 0) planned.resent_failed = resentFailed;
    if (slot !== undefined) planned.slot = slot;
    if (media) planned.media = media;
    if (Object.keys(sizes).length > 0) planned.sizes = sizes;
    notifications.push(planned);
  }

  const send = notifications.reduce((s, n) => s + n.calls.length, 0);
  // A users-only call is followed with one getsendresult; department and all-user calls with getsendprogress only.
  const followUp = send;
  // Only notifications that send anything need their file; each distinct file is uploaded once per run.
  const upload = uploadsNeeded(notifications.filter((n) => n.calls.length > 0).flatMap((n) => [n.media, ...n.calls.map((c) => c.media)]));
  return {
    format: 'dingcast.plan/v1',
    created_at: now.toISOString(),
    run_id: input.runId,
    day,
    timezone: project.config.timezone,
    agent_id: project.config.agentId,
    app_kind: project.config.appKind,
    force: input.force,
    fingerprint: input.fingerprint,
    notifications,
    warnings,
    api_calls: { send, follow_up: followUp, ...(upload > 0 ? { upload } : {}), total: send + followUp + upload },
  };
}

function capWarnings(n: NotificationDef, to: Recipients, today: DeliveryRecord[], kind: 'internal' | 'isv', day: string): string[] {
  const out: string[] = [];
  if (to.all) {
    const runs = new Set(today.filter((d) => d.recipient === 'all').map((d) => d.run)).size;
    out.push(`${n.id}: to_all_user is allowed ${TO_ALL_PER_DAY} times a day per app; ${runs} already sent on ${day} (DingTalk answers 41045 past that)`);
  }
  const cap = DAILY_CAP[kind];
  const perUser = new Map<string, number>();
  for (const d of today) if (d.recipient.startsWith('user:') && d.state !== 'retry' && d.state !== 'invalid') perUser.set(d.recipient, (perUser.get(d.recipient) ?? 0) + 1);
  const over = to.users.filter((u) => (perUser.get(`user:${u}`) ?? 0) >= cap);
  if (over.length > 0) out.push(`${n.id}: ${over.length} user(s) already got ${cap} messages today, DingTalk's per-user daily cap for ${kind} apps; they will be dropped (143105): ${over.slice(0, 5).join(', ')}`);
  return out;
}


/** A department of unknown size is paced as one person: a large one can take a run past DingTalk's cap unseen. */
function unknownSizeWarning(id: string, keys: string[], haveDirectory: boolean): string {
  const what = keys.map((k) => (k === 'all' ? 'to_all_user (the whole organisation)' : `department ${k.slice('dept:'.length)}`));
  const shown = what.length > 5 ? `${what.slice(0, 5).join(', ')} and ${what.length - 5} more` : what.join(', ');
  const why = haveDirectory ? 'not in .dingcast/directory.json' : 'no .dingcast/directory.json';
  return `${id}: how many people ${shown} reach is unknown (${why}): the 5000-recipients-a-minute pacing counts each as 1 person, so the run may go past DingTalk's cap, and whoever is past it gets nothing although the send answers ok; run \`dingcast directory pull\` to pace by their sizes`;
}

function mergeRecipients(...all: Recipients[]): Recipients {
  if (all.length === 1) return all[0]!;
  return { users: all.flatMap((r) => r.users), departments: all.flatMap((r) => r.departments), all: all.some((r) => r.all) };
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)];
}

function dedupeIds(list: (string | number)[]): (string | number)[] {
  const seen = new Set<string>();
  return list.filter((d) => (seen.has(String(d)) ? false : (seen.add(String(d)), true)));
}
