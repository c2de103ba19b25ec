import { msgBytes } from '../msg/index.js';
import type { Vars } from '../project.js';

/**
 * The variables whose values made a msg big (issue 16 item 6): for each top-level variable, how many bytes the msg
 * loses when that value is emptied and the msg rendered again. Biggest first; variables that add nothing are left out.
 * Only run for a msg that is already too large, so rendering once per variable costs nothing the rest of the time.
 */
export function sizeByVariable(vars: Vars, bytes: number, render: (vars: Vars) => unknown, n = 3): { name: string; bytes: number }[] {
  const out: { name: string; bytes: number }[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const msg = render({ ...vars, [name]: emptied(value) });
    if (msg === undefined) continue;
    const saved = bytes - msgBytes(msg);
    if (saved > 0) out.push({ name, bytes: saved });
  }
  return out.sort((a, b) => b.bytes - a.bytes).slice(0, n);
}

/** ` — most of it from \`notes\` (1,650 bytes) and \`title\` (40 bytes)`, or '' when no variable adds bytes. */
export function describeSizeByVariable(list: readonly { name: string; bytes: number }[]): string {
  if (list.length === 0) return '';
  const parts = list.map((v) => `\`${v.name}\` (${v.bytes.toLocaleString('en-US')} byte${v.bytes === 1 ? '' : 's'})`);
  const joined = parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]!}`;
  return `; most of it from the value${list.length > 1 ? 's' : ''} of ${joined}`;
}

function emptied(value: unknown): unknown {
  if (typeof value === 'string') return '';
  if (Array.isArray(value)) return [];
  if (typeof value === 'number') return 0;
  if (typeof value === 'boolean') return false;
  if (value !== null && typeof value === 'object') return {};
  return value;
}
