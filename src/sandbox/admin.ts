import type { IncomingMessage, ServerResponse } from 'node:http';
import { UserError } from '../errors.js';
import { toMillis } from './clock.js';
import { readFault, readTunables } from './config.js';
import type { LatchStatus } from './latches.js';
import type { Emulator } from './context.js';
import { createStateView, inboxOf } from './views.js';
import { adminRefusal, decodePathPart, MalformedRequest } from './guard.js';
import { readParams } from './body.js';
import { isError } from './rules/selectors.js';
import type { FaultSpec, SandboxTunables } from './types.js';

/** Programmatic versions of the /__admin endpoints. */
export interface SandboxAdmin {
  /** Forgets tokens, tasks, inboxes, counters and call counts; the directory, apps and clock stay. */
  reset(): void;
  addFaults(...faults: FaultSpec[]): void;
  clearFaults(): void;
  faults(): (FaultSpec & { remaining: number | null })[];
  /** Marks one task (or all of the user's messages) read now; returns how many messages changed. */
  markRead(userid: string, taskId?: number): number;
  /** Changes tunables (limits, caps, timings) of the running sandbox. */
  setTunables(tunables: Partial<SandboxTunables>): SandboxTunables;
  /** Lets the oldest `count` calls held under `name` go (all when absent); returns how many went. */
  release(name: string, count?: number): number;
  holds(): LatchStatus[];
  /** Resolves true once `count` calls are held under `name` at once, false after `timeoutMs` (default 20 s). */
  waitHeld(name: string, count?: number, timeoutMs?: number): Promise<boolean>;
  /** userid → messages delivered so far (recalled ones included), for every user who has any. */
  inboxCounts(): Record<string, number>;
}

export function createAdmin(emu: Emulator): SandboxAdmin {
  return {
    reset: () => emu.state.reset(),
    addFaults: (...faults) => emu.faults.add(...faults),
    clearFaults: () => emu.faults.clear(),
    faults: () => emu.faults.list(),
    setTunables(tunables) {
      emu.config.tunables = { ...emu.config.tunables, ...readTunables(tunables) };
      return { ...emu.config.tunables };
    },
    release: (name, count) => emu.latches.release(name, count),
    holds: () => emu.latches.status(),
    waitHeld: (name, count = 1, timeoutMs = 20_000) => emu.latches.waitHeld(name, count, timeoutMs),
    inboxCounts() {
      const counts: Record<string, number> = {};
      for (const userid of emu.state.inbox.keys()) {
        const n = inboxOf(emu, userid).length;
        if (n > 0) counts[userid] = n;
      }
      return counts;
    },
    markRead(userid, taskId) {
      const now = emu.clock.now();
      let changed = 0;
      for (const id of emu.state.inbox.get(userid) ?? []) {
        const task = emu.state.tasks.get(id);
        if (!task || (taskId !== undefined && id !== taskId) || task.readAt.has(userid)) continue;
        task.readAt.set(userid, now);
        changed++;
      }
      return changed;
    },
  };
}

type Json = Record<string, unknown> | unknown[];

class Refused extends Error {}

/** /__admin/* — JSON for tests and scripts. Admin calls are not API calls: no faults, no counting. */
export async function handleAdmin(emu: Emulator, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  let status: number;
  let body: Json;
  const refusal = adminRefusal(req, emu.address.host, emu.address.port);
  try {
    if (refusal) throw new Refused(refusal);
    [status, body] = await answerAdmin(emu, req, url);
  } catch (err) {
    if (err instanceof Refused) [status, body] = [403, { ok: false, error: err.message }];
    else if (err instanceof UserError || err instanceof RangeError || err instanceof MalformedRequest) [status, body] = [400, { ok: false, error: err.message }];
    else throw err;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function answerAdmin(emu: Emulator, req: IncomingMessage, url: URL): Promise<[number, Json]> {
  const admin = createAdmin(emu);
  const view = createStateView(emu);
  const route = `${req.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
  const body = req.method === 'POST' ? await readParams(req) : {};
  // A body that did not parse comes back as an ApiError; a fault spec may carry an `errcode` too, but always a `kind`.
  if (isError(body) && !('kind' in body)) return [400, { ok: false, error: body.errmsg }];
  const params = body as Record<string, unknown>;
  const [, prefix, arg] = /^(\w+ \/__admin\/\w+)(?:\/(.+))?$/.exec(route) ?? [];
  const key = arg === undefined ? route : `${prefix}/:arg`;
  switch (key) {
    case 'GET /__admin/calls':
      return [200, { calls: view.calls(), log: view.callLog() }];
    case 'GET /__admin/tasks':
      return [200, { tasks: view.tasks() }];
    case 'GET /__admin/tasks/:arg': {
      const task = view.task(Number(arg));
      return task ? [200, { task }] : [404, { ok: false, error: `no task ${arg}` }];
    }
    case 'GET /__admin/users':
      return [200, { users: view.users() }];
    case 'GET /__admin/media':
      return [200, { media: [...emu.state.media.values()].map(({ bytes: _bytes, ...m }) => m) }];
    case 'GET /__admin/inbox/:arg':
      return [200, { userid: decodePathPart(arg!), inbox: view.inbox(decodePathPart(arg!)) }];
    case 'POST /__admin/reset':
      admin.reset();
      return [200, { ok: true }];
    case 'GET /__admin/clock':
      return [200, clockJson(emu)];
    case 'POST /__admin/clock':
      if (params.set !== undefined) emu.clock.set(toMillis(params.set as string | number));
      if (params.advance !== undefined) emu.clock.advance(Number(params.advance));
      if (params.freeze === true) emu.clock.freeze();
      if (params.freeze === false) emu.clock.resume();
      return [200, clockJson(emu)];
    case 'POST /__admin/read': {
      if (typeof params.userid !== 'string') return [400, { ok: false, error: 'userid is required' }];
      const taskId = params.task_id === undefined ? undefined : Number(params.task_id);
      return [200, { ok: true, marked: admin.markRead(params.userid, taskId) }];
    }
    case 'GET /__admin/faults':
      return [200, { faults: admin.faults() }];
    case 'POST /__admin/faults': {
      const specs = Array.isArray(params.faults) ? (params.faults as unknown[]) : [params];
      admin.addFaults(...specs.map((f, i) => readFault(f, `faults[${i}]`)));
      return [200, { ok: true, faults: admin.faults() }];
    }
    case 'DELETE /__admin/faults':
      admin.clearFaults();
      return [200, { ok: true, faults: [] }];
    case 'GET /__admin/config':
      return [200, configJson(emu)];
    case 'POST /__admin/config': {
      const tunables = params.tunables;
      if (typeof tunables !== 'object' || tunables === null || Array.isArray(tunables)) return [400, { ok: false, error: 'body must be {"tunables": {...}}' }];
      admin.setTunables(tunables);
      return [200, { ok: true, ...configJson(emu) }];
    }
    case 'GET /__admin/inboxes':
      return [200, { counts: admin.inboxCounts() }];
    case 'GET /__admin/holds':
      return [200, { holds: admin.holds() }];
    case 'POST /__admin/release': {
      if (typeof params.name !== 'string') return [400, { ok: false, error: 'name is required' }];
      const count = params.count === undefined ? undefined : Number(params.count);
      return [200, { ok: true, released: admin.release(params.name, count), holds: admin.holds() }];
    }
    case 'POST /__admin/holds/:arg': {
      if (arg !== 'wait') return [404, { ok: false, error: `unknown admin route ${route}` }];
      if (typeof params.name !== 'string') return [400, { ok: false, error: 'name is required' }];
      const count = params.count === undefined ? 1 : Number(params.count);
      const timeoutMs = params.timeout_ms === undefined ? 20_000 : Number(params.timeout_ms);
      const ok = await admin.waitHeld(params.name, count, timeoutMs);
      return [ok ? 200 : 408, { ok, ...emu.latches.statusOf(params.name) }];
    }
    default:
      return [404, { ok: false, error: `unknown admin route ${route}` }];
  }
}

/** The app secret (and an ISV's suite ticket) never leaves the sandbox through the admin API: it is a credential even here. */
function configJson(emu: Emulator): Record<string, unknown> {
  const apps = createStateView(emu)
    .apps()
    .map(({ appsecret: _secret, suite_ticket: _ticket, ...app }) => app);
  return { apps, tunables: emu.config.tunables, departments: createStateView(emu).departments() };
}

function clockJson(emu: Emulator): Record<string, unknown> {
  return { now: new Date(emu.clock.now()).toISOString(), mode: emu.clock.mode };
}
