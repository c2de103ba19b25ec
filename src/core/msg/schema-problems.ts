import type { ErrorObject } from 'ajv';
import { describeSchemaErrors, type SchemaProblem } from '../schemaErrors.js';
import { schemaValidator } from '../schemas.js';
import { closestMatch } from '../suggest.js';
import { ERRCODE, problem, type MsgProblem } from './problem.js';
import { MSGTYPES, isMsgType } from './types.js';

/** Ajv's errors for `msg` against msg.schema.json (precompiled, verbose: errors carry their parentSchema, whose
 * `properties` feed the "did you mean" hints); empty when it conforms. */
export function schemaErrors(msg: unknown): ErrorObject[] {
  const validate = schemaValidator('msg');
  return validate(msg) ? [] : (validate.errors ?? []);
}

/**
 * msg.schema.json's verdict on `msg`: the problems every schema gets (core/schemaErrors.ts: one wording, one
 * "did you mean"), with DingTalk's errcode for each and the msgtype cases only a msg has.
 */
export function checkMsgSchema(msg: unknown): MsgProblem[] {
  const problems: MsgProblem[] = [];
  const seen = new Set<string>();
  for (const described of describeSchemaErrors(schemaErrors(msg), 'msg', 'msg')) {
    const found = msgtypeProblem(described, msg) ?? withErrcode(described);
    const key = `${found.code} ${JSON.stringify(found.path)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(found);
  }
  return problems;
}

/** A schema problem's code → the msg code scripts key on and the errcode DingTalk answers with. */
const MSG_CODES: Readonly<Record<string, readonly [string, number]>> = {
  'schema/unknown-key': ['msg/unknown-key', ERRCODE.invalidParameter],
  'schema/missing-key': ['msg/missing-field', ERRCODE.invalidParameter],
  'schema/too-long': ['msg/too-long', ERRCODE.fieldTooLong],
  'schema/too-short': ['msg/empty', ERRCODE.invalidParameter],
  'schema/too-few': ['msg/empty', ERRCODE.invalidParameter],
  'schema/enum': ['msg/bad-format', ERRCODE.invalidParameter],
  'schema/pattern': ['msg/bad-format', ERRCODE.invalidParameter],
  'schema/type': ['msg/bad-type', ERRCODE.invalidParameter],
};

function withErrcode(p: SchemaProblem): MsgProblem {
  const [code, errcode] = MSG_CODES[p.code] ?? ['msg/invalid', ERRCODE.invalidParameter];
  // A missing field is reported at the field itself, so validate points into the object that lacks it.
  const path = p.missingKey === undefined ? p.path : [...p.path, p.missingKey];
  const hint = code === 'msg/too-long' ? 'Shorten it, e.g. with {{truncate value N}} in the template.' : p.hint;
  return problem(code, path, errcode, p.message, hint);
}

/** What only a msg can get wrong: its msgtype, and the one object that msgtype names. */
function msgtypeProblem(p: SchemaProblem, msg: unknown): MsgProblem | undefined {
  const record = asRecord(msg);
  if (p.code === 'schema/missing-key' && p.path.length === 0 && p.missingKey !== undefined) {
    const key = p.missingKey;
    if (key === 'msgtype') {
      return problem('msg/missing-field', [key], ERRCODE.badMsgtype, 'msg has no msgtype', `Add msgtype: one of ${MSGTYPES.join(', ')}.`);
    }
    const other = Object.keys(record).find((k) => isMsgType(k));
    return problem('msg/missing-field', [key], ERRCODE.invalidParameter, `msgtype is ${key} but msg has no ${key} object`,
      other === undefined ? `Add ${key}: { … }.` : `Did you mean msgtype: ${other}?`);
  }
  const key = p.path[0];
  if (p.code === 'schema/unknown-key' && p.path.length === 1 && isMsgType(key) && isMsgType(record.msgtype)) {
    return problem('msg/unknown-key', p.path, ERRCODE.invalidParameter,
      `msgtype is ${record.msgtype}, so msg cannot also carry ${key}: one msgtype per message`, `Remove ${key}, or set msgtype: ${key}.`);
  }
  if (p.code === 'schema/enum' && p.path.length === 1 && key === 'msgtype') {
    const guess = typeof record.msgtype === 'string' ? closestMatch(record.msgtype, MSGTYPES) : undefined;
    return problem('msg/unknown-msgtype', p.path, ERRCODE.badMsgtype, `msgtype ${JSON.stringify(record.msgtype)} is not a DingTalk msgtype`,
      guess === undefined ? `Use one of ${MSGTYPES.join(', ')}.` : `Did you mean \`${guess}\`?`);
  }
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
