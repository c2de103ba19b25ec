import { DingTalkTransportError } from './errors.js';
import type { Envelope } from './http.js';
import type { ForbiddenEntry, SendProgress, SendResultLists } from './types.js';

const ID_LISTS = [
  'invalid_user_id_list',
  'forbidden_user_id_list',
  'failed_user_id_list',
  'read_user_id_list',
  'unread_user_id_list',
  'invalid_dept_id_list',
] as const;

/**
 * The doc sample has JSON arrays, the TOP metadata shows `"zhangsan,lisi"`, some mocks nest the result one
 * level deeper: accept all three, and treat a missing list as empty.
 */
export function parseSendResult(env: Envelope): SendResultLists {
  const raw = pickObject(env.send_result) ?? pickObject(pickObject(env.result)?.send_result) ?? {};
  const out = { forbidden_list: parseForbidden(raw.forbidden_list) } as SendResultLists;
  for (const key of ID_LISTS) out[key] = parseIdList(raw[key]);
  return out;
}

export function parseIdList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v)).filter((v) => v !== '');
  if (typeof value === 'string') return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (typeof value === 'number') return [String(value)];
  return [];
}

function parseForbidden(value: unknown): ForbiddenEntry[] {
  let list = value;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list);
    } catch {
      return [];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((item): ForbiddenEntry[] => {
    const o = pickObject(item);
    if (!o) return [];
    return [{ code: scalarText(o.code), count: Number(o.count ?? 0), userid: scalarText(o.userid) }];
  });
}

export function parseProgress(env: Envelope, path: string): SendProgress {
  const p = pickObject(env.progress);
  const percent = Number(p?.progress_in_percent);
  const status = Number(p?.status);
  if (!p || !Number.isFinite(percent) || (status !== 0 && status !== 1 && status !== 2)) {
    throw unexpected(path, 'progress');
  }
  return { percent, status };
}

/** task_id is a Long; 12-digit ids are safe in JS, anything beyond 2^53 would silently change. */
export function parseTaskId(env: Envelope, path: string): number {
  const raw = env.task_id;
  const id = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) throw unexpected(path, 'task_id');
  return id;
}

function unexpected(path: string, field: string): DingTalkTransportError {
  return new DingTalkTransportError(path, `answer lacks a valid ${field}`, { kind: 'not-json', retryable: false });
}

function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

function pickObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
