import type { ErrorObject } from 'ajv';
import { hintFor, pointerToPath } from '../schemaErrors.js';
import { schemaValidator } from '../schemas.js';
import { closestMatch } from '../suggest.js';
import { ERRCODE, formatMsgPath, problem, type MsgProblem } from './problem.js';
import { MSGTYPES, isMsgType } from './types.js';

/** Ajv's errors for `msg` against msg.schema.json (precompiled, verbose: errors carry their parentSchema, whose
 * `properties` feed the "did you mean" hints); empty when it conforms. */
export function schemaErrors(msg: unknown): ErrorObject[] {
  const validate = schemaValidator('msg');
  return validate(msg) ? [] : (validate.errors ?? []);
}

/** msg.schema.json's verdict on `msg`, as MsgProblems with exact paths and DingTalk errcodes. */
export function checkMsgSchema(msg: unknown): MsgProblem[] {
  const problems: MsgProblem[] = [];
  const seen = new Set<string>();
  for (const error of schemaErrors(msg)) {
    const found = toProblem(error, msg);
    if (found === undefined) continue;
    const key = `${found.code} ${JSON.stringify(found.path)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(found);
  }
  return problems;
}

function toProblem(error: ErrorObject, msg: unknown): MsgProblem | undefined {
  const at = pointerToPath(error.instancePath);
  const where = formatMsgPath(at);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'if':
      return undefined; // its `then` errors say what is wrong
    case 'required':
      return missingField(at, String(params.missingProperty), msg, error);
    case 'additionalProperties':
      return unknownKey(at, String(params.additionalProperty), msg, error);
    case 'enum':
      return badEnum(at, error);
    case 'maxLength': {
      const length = typeof error.data === 'string' ? [...error.data].length : 0;
      return problem('msg/too-long', at, ERRCODE.fieldTooLong,
        `${where} is ${length} characters; DingTalk allows at most ${String(params.limit)}`,
        'Shorten it, e.g. with {{truncate value N}} in the template.');
    }
    case 'minLength':
      return problem('msg/empty', at, ERRCODE.invalidParameter, `${where} is empty`, 'DingTalk needs a value here.');
    case 'minItems':
      return problem('msg/empty', at, ERRCODE.invalidParameter, `${where} is an empty list`, 'Give at least one element.');
    case 'pattern':
      return problem('msg/bad-format', at, ERRCODE.invalidParameter,
        `${where} is ${JSON.stringify(error.data)}, which is not in DingTalk's format`, hintFor('msg', lastKey(at)));
    case 'type':
      return badType(at, String(params.type), error.data);
    default:
      return problem('msg/invalid', at, ERRCODE.invalidParameter, `${where} ${error.message ?? 'is invalid'}`);
  }
}

function missingField(parent: (string | number)[], key: string, msg: unknown, error: ErrorObject): MsgProblem {
  const at = [...parent, key];
  if (parent.length === 0 && key === 'msgtype') {
    return problem('msg/missing-field', at, ERRCODE.badMsgtype, 'msg has no msgtype', `Add msgtype: one of ${MSGTYPES.join(', ')}.`);
  }
  if (parent.length === 0) {
    const other = Object.keys(asRecord(msg)).find((k) => isMsgType(k));
    return problem('msg/missing-field', at, ERRCODE.invalidParameter, `msgtype is ${key} but msg has no ${key} object`,
      other === undefined ? `Add ${key}: { … }.` : `Did you mean msgtype: ${other}?`);
  }
  const required = error.parentSchema?.required as string[] | undefined;
  return problem('msg/missing-field', at, ERRCODE.invalidParameter, `${formatMsgPath(parent)} is missing ${key}`,
    required && required.length > 1 ? `${formatMsgPath(parent)} needs ${required.join(', ')}.` : undefined);
}

function unknownKey(parent: (string | number)[], key: string, msg: unknown, error: ErrorObject): MsgProblem {
  const at = [...parent, key];
  const msgtype = asRecord(msg).msgtype;
  if (parent.length === 0 && isMsgType(key) && isMsgType(msgtype)) {
    return problem('msg/unknown-key', at, ERRCODE.invalidParameter,
      `msgtype is ${msgtype}, so msg cannot also carry ${key}: one msgtype per message`,
      `Remove ${key}, or set msgtype: ${key}.`);
  }
  const known = Object.keys((error.parentSchema?.properties ?? {}) as Record<string, unknown>);
  const guess = closestMatch(key, known);
  return problem('msg/unknown-key', at, ERRCODE.invalidParameter, `${formatMsgPath(parent)} has no key ${key}`,
    guess === undefined ? `Known keys: ${known.join(', ')}.` : `Did you mean \`${guess}\`?`);
}

function badEnum(at: (string | number)[], error: ErrorObject): MsgProblem {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
  if (at.length === 1 && at[0] === 'msgtype') {
    const guess = typeof error.data === 'string' ? closestMatch(error.data, MSGTYPES) : undefined;
    return problem('msg/unknown-msgtype', at, ERRCODE.badMsgtype, `msgtype ${JSON.stringify(error.data)} is not a DingTalk msgtype`,
      guess === undefined ? `Use one of ${MSGTYPES.join(', ')}.` : `Did you mean \`${guess}\`?`);
  }
  return problem('msg/bad-format', at, ERRCODE.invalidParameter,
    `${formatMsgPath(at)} is ${JSON.stringify(error.data)}; allowed: ${allowed.map((v) => JSON.stringify(v)).join(', ')}`,
    hintFor('msg', lastKey(at)));
}

function badType(at: (string | number)[], expected: string, data: unknown): MsgProblem {
  const actual = Array.isArray(data) ? 'array' : data === null ? 'null' : typeof data;
  const quoteIt = expected === 'string' && (typeof data === 'number' || typeof data === 'boolean');
  return problem('msg/bad-type', at, ERRCODE.invalidParameter,
    `${formatMsgPath(at)} must be ${article(expected)} ${expected}, not ${article(actual)} ${actual}`,
    hintFor('msg', lastKey(at)) ?? (quoteIt ? `Quote it: "${String(data)}".` : undefined));
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function lastKey(path: (string | number)[]): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? last : '';
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
