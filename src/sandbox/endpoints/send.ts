import { dayKey, type Emulator } from '../context.js';
import { checkAgent } from '../rules/agent.js';
import { capPerMinute, decideDeliveries } from '../rules/flow-control.js';
import { checkMessage, readMsg } from '../rules/message.js';
import { isError, readSelectors, type Selectors } from '../rules/selectors.js';
import { checkToAllUser } from '../rules/to-all-user.js';
import type { Task } from '../state.js';
import type { Answer, SandboxApp } from '../types.js';

/** POST /topapi/message/corpconversation/asyncsend_v2 → { task_id }. */
export function sendMessage(emu: Emulator, app: SandboxApp, params: Record<string, unknown>): Answer {
  const { state, config } = emu;
  const t = config.tunables;
  const now = emu.clock.now();
  const day = dayKey(emu, now);

  const agentError = checkAgent(config.apps, app, params.agent_id, true);
  if (agentError) return agentError;
  const selectors = readSelectors(params, t);
  if (isError(selectors)) return selectors;
  const toAllKey = `${app.appkey}|${day}`;
  const toAllError = checkToAllUser(app.kind, selectors.all, state.toAll.get(toAllKey) ?? 0, t.toAllUserPerDay);
  if (toAllError) return toAllError;
  const msg = readMsg(params.msg);
  if (isError(msg)) return msg;
  const msgError = checkMessage(msg, selectors, app.kind);
  if (msgError) return msgError;

  const { userids, invalidDepts } = expandRecipients(emu, selectors);
  const content = stableJson(msg);
  const userKey = (u: string): string => `${app.appkey}|${day}|${u}`;
  const decided = decideDeliveries(userids, {
    isKnownUser: (u) => emu.directory.hasUser(u),
    receivedToday: (u) => state.received.get(userKey(u)) ?? 0,
    sawContentToday: (u) => state.seen.has(`${userKey(u)}|${content}`),
    dailyCap: app.kind === 'isv' ? t.dailyCapIsv : t.dailyCapInternal,
    failingUsers: new Set(t.failingUsers),
    injected: (u) => emu.faults.takeUser(u),
  });
  const minute = state.minuteOf(app.appkey, now);
  const { deliveries, delivered } = capPerMinute(decided, minute.total, t.recipientsPerMinute);
  minute.add(now, delivered);

  const task: Task = {
    task_id: state.newTaskId(),
    appkey: app.appkey,
    agent_id: app.agent_id,
    createdAt: now,
    msg,
    selectors,
    deliveries,
    invalidDepts,
    timing: { createdAt: now, recipients: deliveries.length, queueMs: t.taskQueueMs, baseMs: t.taskBaseMs, perRecipientMs: t.taskPerRecipientMs },
    recalledAt: null,
    statusBar: null,
    readAt: new Map(),
  };
  state.tasks.set(task.task_id, task);
  // Limits are counted when DingTalk accepts the task, so a second send right after the first is filtered
  // even while the first is still being processed.
  for (const d of deliveries) {
    if (d.outcome !== 'delivered') continue;
    state.received.set(userKey(d.userid), (state.received.get(userKey(d.userid)) ?? 0) + 1);
    state.seen.add(`${userKey(d.userid)}|${content}`);
    const box = state.inbox.get(d.userid);
    if (box) box.push(task.task_id);
    else state.inbox.set(d.userid, [task.task_id]);
  }
  if (selectors.all) state.toAll.set(toAllKey, (state.toAll.get(toAllKey) ?? 0) + 1);
  return { errcode: 0, errmsg: 'ok', task_id: task.task_id };
}

/** userids, then department members (sub-departments included), then everyone for to_all_user; each once. */
function expandRecipients(emu: Emulator, s: Selectors): { userids: string[]; invalidDepts: number[] } {
  const out = new Set<string>(s.users);
  const invalidDepts: number[] = [];
  for (const d of s.depts) {
    if (!emu.directory.hasDept(d)) invalidDepts.push(d);
    else for (const u of emu.directory.membersOf(d)) out.add(u);
  }
  if (s.all) for (const u of emu.directory.users) out.add(u.userid);
  return { userids: [...out], invalidDepts };
}

/** "Same content" ignores key order: DingTalk compares messages, not their serialisation. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    const entries = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v);
}
