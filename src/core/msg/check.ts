import type { MsgProblem } from './problem.js';
import { MSG_RULES } from './rules.js';
import { checkMsgSchema } from './schema-problems.js';

/** Everything DingTalk checks about a msg on its own: msg.schema.json, then the named content rules.
 * Size is separate (checkMsgSize) so callers can report it with its contributors. */
export function checkMsgShape(msg: unknown): MsgProblem[] {
  const problems = checkMsgSchema(msg);
  for (const rule of MSG_RULES) problems.push(...rule(msg));
  return problems;
}
