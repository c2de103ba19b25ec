import type { ErrorObject } from 'ajv';
import { validate as validateMsg } from '../../generated/msg.validator.js';

/** Ajv's errors for `msg` against msg.schema.json; empty when it conforms. The validator is precompiled by
 * `npm run generate` (strict, allErrors, verbose: errors carry their parentSchema, whose `properties` feed
 * the "did you mean" hints), so checking a msg never loads Ajv. */
export function schemaErrors(msg: unknown): ErrorObject[] {
  return validateMsg(msg) ? [] : (validateMsg.errors ?? []);
}

/** `/oa/body/form/2/value` → `['oa','body','form',2,'value']`. */
export function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => {
      const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^(?:0|[1-9]\d*)$/.test(step) ? Number(step) : step;
    });
}
