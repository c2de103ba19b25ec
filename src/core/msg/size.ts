import { ERRCODE, formatMsgPath, problem, type MsgProblem } from './problem.js';

/** DingTalk's cap on the whole msg, in bytes of its UTF-8 JSON (asyncsend_v2). */
export const MSG_BYTE_LIMIT = 2048;

/** The size DingTalk checks: UTF-8 bytes of the JSON text (CJK characters take 3 bytes each). */
export function msgBytes(msg: unknown): number {
  const json = JSON.stringify(msg) as string | undefined;
  return json === undefined ? 0 : Buffer.byteLength(json, 'utf8');
}

/** The n biggest leaves, by UTF-8 bytes of their JSON encoding, biggest first (ties in document order). */
export function largestContributors(msg: unknown, n = 5): { path: string; bytes: number }[] {
  const leaves: { path: string; bytes: number }[] = [];
  collectLeaves(msg, [], leaves);
  return leaves
    .map((leaf, order) => ({ leaf, order }))
    .sort((a, b) => b.leaf.bytes - a.leaf.bytes || a.order - b.order)
    .slice(0, Math.max(0, n))
    .map(({ leaf }) => leaf);
}

function collectLeaves(value: unknown, path: (string | number)[], out: { path: string; bytes: number }[]): void {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  if (entries.length === 0) {
    out.push({ path: formatMsgPath(path), bytes: msgBytes(value) });
    return;
  }
  for (const [step, child] of entries) collectLeaves(child, [...path, step], out);
}

/** The 2048-byte rule, naming the size and where the bytes went. */
export function checkMsgSize(msg: unknown): MsgProblem[] {
  const bytes = msgBytes(msg);
  if (bytes <= MSG_BYTE_LIMIT) return [];
  const biggest = largestContributors(msg, 3).map((c) => `${c.path} (${c.bytes} bytes)`).join(', ');
  return [problem('msg/too-large', [], ERRCODE.msgTooLarge,
    `msg is ${bytes} bytes; DingTalk allows at most ${MSG_BYTE_LIMIT} (${bytes - MSG_BYTE_LIMIT} over)`,
    `Largest: ${biggest}. Shorten them (CJK characters take 3 bytes each) or split the message.`)];
}
