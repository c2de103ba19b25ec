import { deliveredAt, isRead, progressOf, type Emulator } from './context.js';
import type { CallRecord, StatusBar, Task } from './state.js';
import type { Delivery } from './rules/flow-control.js';
import type { Endpoint, SandboxApp, SandboxDepartment } from './types.js';

export interface TaskView {
  task_id: number;
  agent_id: number;
  appkey: string;
  created_at: string;
  msgtype: string;
  msg: Record<string, unknown>;
  userid_list: string[];
  dept_id_list: string[];
  to_all_user: boolean;
  recipients: number;
  status: 0 | 1 | 2;
  progress_in_percent: number;
  deliveries: Delivery[];
  invalid_dept_id_list: string[];
  recalled_at: string | null;
  status_bar: StatusBar | null;
  /** sendbytemplate's template and data; null for asyncsend_v2. */
  template: { template_id: string; data: Record<string, string> } | null;
}

export interface InboxItem {
  task_id: number;
  app_name: string;
  agent_id: number;
  msg: Record<string, unknown>;
  delivered_at: string;
  read: boolean;
  recalled: boolean;
  status_bar: StatusBar | null;
}

export interface UserView {
  userid: string;
  name: string;
  dept_ids: string[];
  received: number;
  unread: number;
}

/** Read-only views of the sandbox state, shared by `sandbox.state` and the admin JSON API. */
export interface SandboxStateView {
  calls(): Record<Endpoint, number>;
  callLog(): CallRecord[];
  tasks(): TaskView[];
  task(taskId: number): TaskView | undefined;
  inbox(userid: string): InboxItem[];
  users(): UserView[];
  departments(): SandboxDepartment[];
  apps(): SandboxApp[];
}

export function createStateView(emu: Emulator): SandboxStateView {
  return {
    calls: () => ({ ...emu.state.calls }),
    callLog: () => emu.state.log.map((c) => ({ ...c })),
    tasks: () => [...emu.state.tasks.values()].map((t) => viewTask(emu, t)),
    task: (id) => {
      const t = emu.state.tasks.get(id);
      return t && viewTask(emu, t);
    },
    inbox: (userid) => inboxOf(emu, userid),
    users: () =>
      emu.directory.users.map((u) => {
        const box = inboxOf(emu, u.userid);
        return { ...u, received: box.length, unread: box.filter((i) => !i.read && !i.recalled).length };
      }),
    departments: () => emu.directory.directory.departments.map((d) => ({ ...d })),
    apps: () => emu.config.apps.map((a) => ({ ...a })),
  };
}

function viewTask(emu: Emulator, t: Task): TaskView {
  const p = progressOf(t, emu.clock.now());
  return {
    task_id: t.task_id,
    agent_id: t.agent_id,
    appkey: t.appkey,
    created_at: new Date(t.createdAt).toISOString(),
    msgtype: String(t.msg.msgtype),
    msg: t.msg,
    userid_list: t.selectors.users,
    dept_id_list: t.selectors.depts,
    to_all_user: t.selectors.all,
    recipients: t.deliveries.length,
    status: p.status,
    progress_in_percent: p.progress_in_percent,
    deliveries: t.deliveries.map((d) => ({ ...d })),
    invalid_dept_id_list: t.invalidDepts,
    recalled_at: t.recalledAt === null ? null : new Date(t.recalledAt).toISOString(),
    status_bar: t.statusBar,
    template: t.template,
  };
}

/** What a user has received so far, newest first; messages the task has not reached yet are not there. */
export function inboxOf(emu: Emulator, userid: string): InboxItem[] {
  const now = emu.clock.now();
  const items: InboxItem[] = [];
  for (const taskId of emu.state.inbox.get(userid) ?? []) {
    const t = emu.state.tasks.get(taskId);
    if (!t) continue;
    const at = deliveredAt(t, t.deliveries.findIndex((d) => d.userid === userid), now);
    if (at === null) continue;
    const app = emu.config.apps.find((a) => a.appkey === t.appkey);
    items.push({
      task_id: t.task_id,
      app_name: app?.name ?? t.appkey,
      agent_id: t.agent_id,
      msg: t.msg,
      delivered_at: new Date(at).toISOString(),
      read: isRead(emu, t, userid, at, now),
      recalled: t.recalledAt !== null && t.recalledAt <= now,
      status_bar: t.statusBar,
    });
  }
  return items.sort((a, b) => b.delivered_at.localeCompare(a.delivered_at) || b.task_id - a.task_id);
}
