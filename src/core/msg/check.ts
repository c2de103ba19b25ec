import type { MsgProblem } from './problem.js';
import { MSG_RULES } from './rules.js';
import { checkMsgSchema } from './schema-problems.js';

/** Everything DingTalk checks about a msg on its own: msg.schema.json, then the named content rules.
 * Size is separate (checkMsgSize) so callers can report it with its contributors. */
export function checkMsgShape(msg: unknown): MsgProblem[] {
  const problems = checkMsgSchema(msg);
  for (const rule of MSG_RULES) problems.push(...rule(msg));
  return problems.length === 0 ? problems : withoutEchoes(problems);
}

/** One mistake often trips two checks; keep the clearer report:
 * - `message_url` in a link is an unknown key AND a missing `messageUrl`: the "did you mean" says both
 *   (the same for `singleURL` and the action_card rule that wants `single_url`);
 * - `btn_orientation: 1` is the wrong type AND not in the enum: the type error says it. */
function withoutEchoes(problems: MsgProblem[]): MsgProblem[] {
  const guessed = new Set<string>();
  const badType = new Set<string>();
  for (const p of problems) {
    const guess = p.code === 'msg/unknown-key' ? /^Did you mean `(.+)`\?$/.exec(p.hint ?? '')?.[1] : undefined;
    if (guess !== undefined) guessed.add(JSON.stringify([...p.path.slice(0, -1), guess]));
    if (p.code === 'msg/bad-type') badType.add(JSON.stringify(p.path));
  }
  return problems.filter((p) => {
    const at = JSON.stringify(p.path);
    if (p.code === 'msg/missing-field' && guessed.has(at)) return false;
    return p.code === 'msg/bad-type' || !badType.has(at);
  });
}

