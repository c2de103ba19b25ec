import { dayKey, type Emulator } from '../context.js';
import { checkAgent } from '../rules/agent.js';
import { capPerMinute, decideDeliveries } from '../rules/flow-control.js';
import { checkMediaRef } from '../rules/media.js';
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
  const mediaError = checkMediaRef(msg, (id) => state.media.has(id));
  if (mediaError) return mediaError;

  return deliver(emu, app, selectors, msg, stableJson(msg), null);
}

/**
 * POST /topapi/message/corpconversation/sendbytemplate {agent_id, template_id, userid_list, dept_id_list, data}
 * → { task_id } [D TEMPLATE_SEND]: ISV apps send a template reviewed in DingTalk's console; `data` is a JSON
 * string of the template's fields (string values). Up to 5000 userids and 500 dept ids a call. The flow
 * control of asyncsend_v2 holds (daily cap, once a day the same content, per minute). An unknown template
 * (or one asked for by an internal app: templates belong to ISV suites) is 885001.
 */
export function sendByTemplate(emu: Emulator, app: SandboxApp, params: Record<string, unknown>): Answer {
  const t = emu.config.tunables;
  const agentError = checkAgent(emu.config.apps, app, params.agent_id, true);
  if (agentError) return agentError;
  const selectors = readSelectors(params, { ...t, useridsPerCall: 5000, deptIdsPerCall: 500 });
  if (isError(selectors)) return selectors;
  if (selectors.all) return { errcode: 40035, errmsg: '不合法的参数: sendbytemplate 不支持 to_all_user' };
  if (typeof params.template_id !== 'string' || params.template_id === '') return { errcode: 40035, errmsg: '缺少参数 template_id' };
  const template = app.kind === 'isv' ? emu.config.templates.find((x) => x.template_id === params.template_id) : undefined;
  if (!template) return { errcode: 885001, errmsg: `模板不存在: ${params.template_id}` };
  const data = readTemplateData(params.data);
  if (isError(data)) return data;
  // The inbox shows the filled template; a field the data lacks shows empty, as nothing says DingTalk refuses it.
  const text = template.text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => data[name] ?? '');
  const msg = { msgtype: 'markdown', markdown: { title: template.name, text } };
  return deliver(emu, app, selectors, msg, stableJson({ template: template.template_id, data }), { template_id: template.template_id, data });
}

function readTemplateData(raw: unknown): Record<string, string> | { errcode: number; errmsg: string } {
  if (typeof raw !== 'string') return { errcode: 40035, errmsg: '不合法的参数 data: 须为 JSON 字符串' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { errcode: 40035, errmsg: '不合法的参数 data: JSON 解析失败' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { errcode: 40035, errmsg: '不合法的参数 data: 须为 JSON 对象' };
  const bad = Object.entries(value).find(([, v]) => typeof v !== 'string');
  if (bad) return { errcode: 40035, errmsg: `不合法的参数 data: ${bad[0]} 的值须为字符串` };
  return value as Record<string, string>;
}

/** Expands the recipients, applies flow control and records the task and the inboxes (both send APIs). */
function deliver(emu: Emulator, app: SandboxApp, selectors: Selectors, msg: Record<string, unknown>, content: string, template: Task['template']): Answer {
  const { state, config } = emu;
  const t = config.tunables;
  const now = emu.clock.now();
  const day = dayKey(emu, now);
  const toAllKey = `${app.appkey}|${day}`;
  const { userids, invalidDepts } = expandRecipients(emu, selectors);
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
    template,
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
function expandRecipients(emu: Emulator, s: Selectors): { userids: string[]; invalidDepts: string[] } {
  const out = new Set<string>(s.users);
  const invalidDepts: string[] = [];
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
