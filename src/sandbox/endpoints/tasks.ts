import { deliveredAt, isRead, progressOf, type Emulator } from '../context.js';
import { checkAgent } from '../rules/agent.js';
import { checkStatusBarUpdate } from '../rules/status-bar.js';
import { checkResultSize, checkTaskAge } from '../rules/task-window.js';
import type { Task } from '../state.js';
import type { Answer, SandboxApp } from '../types.js';
import { JsonLong } from '../../exactJson.js';

/** A task of the calling app; another app's task is as unknown as a made-up id. */
function findTask(emu: Emulator, app: SandboxApp, raw: unknown): Task | undefined {
  const id = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  const task = typeof id === 'number' ? emu.state.tasks.get(id) : undefined;
  return task?.appkey === app.appkey ? task : undefined;
}

/** POST …/getsendprogress → { progress: { progress_in_percent, status } }. */
export function getSendProgress(emu: Emulator, app: SandboxApp, p: Record<string, unknown>): Answer {
  const now = emu.clock.now();
  const error = checkAgent(emu.config.apps, app, p.agent_id, true);
  if (error) return error;
  const task = findTask(emu, app, p.task_id);
  const ageError = checkTaskAge(task?.createdAt, now, emu.config.tunables.taskWindowHours, 40035);
  if (ageError || !task) return ageError!;
  const { status, progress_in_percent } = progressOf(task, now);
  return { errcode: 0, errmsg: 'ok', progress: { progress_in_percent, status } };
}

/** POST …/getsendresult → { send_result }; only recipients processed so far appear in the lists. */
export function getSendResult(emu: Emulator, app: SandboxApp, p: Record<string, unknown>): Answer {
  const now = emu.clock.now();
  const t = emu.config.tunables;
  const error = checkAgent(emu.config.apps, app, p.agent_id, false); // optional per the seed page
  if (error) return error;
  const task = findTask(emu, app, p.task_id);
  const ageError = checkTaskAge(task?.createdAt, now, t.taskWindowHours, 40035);
  if (ageError || !task) return ageError!;
  const sizeError = checkResultSize(task.deliveries.length, t.resultMaxRecipients);
  if (sizeError) return sizeError;

  const { status, processed } = progressOf(task, now);
  const lists = { invalid: [] as string[], forbidden: [] as string[], failed: [] as string[], read: [] as string[], unread: [] as string[] };
  const forbiddenList: { code: string; count: number; userid: string }[] = [];
  task.deliveries.slice(0, processed).forEach((d, i) => {
    if (d.outcome === 'delivered') {
      const at = deliveredAt(task, i, now) ?? now;
      (isRead(emu, task, d.userid, at, now) ? lists.read : lists.unread).push(d.userid);
    } else {
      lists[d.outcome].push(d.userid);
      if (d.outcome === 'forbidden') forbiddenList.push({ code: d.code ?? '', count: d.count ?? 0, userid: d.userid });
    }
  });
  const invalidDepts = status === 0 ? [] : task.invalidDepts;
  const asString = t.resultListsAs === 'string';
  const out = (xs: (string | number)[]): (string | number)[] | string => (asString ? xs.join(',') : xs);
  const send_result: Record<string, unknown> = {
    invalid_user_id_list: out(lists.invalid),
    forbidden_user_id_list: out(lists.forbidden),
    failed_user_id_list: out(lists.failed),
    read_user_id_list: out(lists.read),
    unread_user_id_list: out(lists.unread),
    // Numbers, as DingTalk answers them [D RESULT], with every digit of a 64-bit id.
    invalid_dept_id_list: asString ? invalidDepts.join(',') : invalidDepts.map((d) => new JsonLong(d)),
  };
  // The seed page's string-shaped answer predates forbidden_list; the current docs add it as an array.
  if (!asString) send_result.forbidden_list = forbiddenList;
  return { errcode: 0, errmsg: 'ok', send_result };
}

/** POST …/recall with `msg_task_id` (not task_id) [D RECALL]; a second recall of the same task is a no-op. */
export function recallMessage(emu: Emulator, app: SandboxApp, p: Record<string, unknown>): Answer {
  const now = emu.clock.now();
  const error = checkAgent(emu.config.apps, app, p.agent_id, true);
  if (error) return error;
  const task = findTask(emu, app, p.msg_task_id);
  const ageError = checkTaskAge(task?.createdAt, now, emu.config.tunables.taskWindowHours, 400002);
  if (ageError || !task) return ageError!;
  task.recalledAt ??= now;
  return { errcode: 0, errmsg: 'ok' };
}

/** POST …/status_bar/update with task_id, status_value, status_bg [D STATUSBAR]. */
export function updateStatusBar(emu: Emulator, app: SandboxApp, p: Record<string, unknown>): Answer {
  const now = emu.clock.now();
  const error = checkAgent(emu.config.apps, app, p.agent_id, true);
  if (error) return error;
  const task = findTask(emu, app, p.task_id);
  const s = task?.selectors;
  const barError = checkStatusBarUpdate(
    task && {
      createdAt: task.createdAt,
      msgtype: task.msg.msgtype,
      recipients: task.deliveries.length,
      viaDeptOrAll: (s?.depts.length ?? 0) > 0 || (s?.all ?? false),
      done: progressOf(task, now).status === 2,
    },
    p.status_value,
    now,
    emu.config.tunables.statusBarWindowDays,
  );
  if (barError || !task) return barError!;
  const bg = typeof p.status_bg === 'string' && p.status_bg !== '' ? { status_bg: p.status_bg } : {};
  task.statusBar = { status_value: p.status_value as string, ...bg };
  return { errcode: 0, errmsg: 'ok' };
}
