import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';

// src/core/msg and dist/core/msg both sit three levels below the repository root, next to schema/.
const MSG_SCHEMA_PATH = '../../../schema/msg.schema.json';
const requireHere = createRequire(import.meta.url);

let validator: ValidateFunction | undefined;

/** The parsed schema/msg.schema.json. */
export function loadMsgSchema(): Record<string, unknown> {
  return requireHere(MSG_SCHEMA_PATH) as Record<string, unknown>;
}

/** Compiled once, on first use: loading Ajv and compiling cost tens of milliseconds that a command
 * which never checks a msg (e.g. `--help`) should not pay; validating a valid msg then costs microseconds. */
function msgValidator(): ValidateFunction {
  if (validator === undefined) {
    const { Ajv } = requireHere('ajv') as typeof import('ajv');
    // validateSchema: false skips checking the schema against the draft-07 meta-schema, which halves
    // compile time; test/msg/schema-files.test.ts proves the shipped schema valid in strict mode.
    // verbose: errors then carry their parentSchema, whose `properties` feed the "did you mean" hints.
    validator = new Ajv({ strict: true, allErrors: true, verbose: true, validateSchema: false }).compile(loadMsgSchema());
  }
  return validator;
}

/** Ajv's errors for `msg` against msg.schema.json; empty when it conforms. */
export function schemaErrors(msg: unknown): ErrorObject[] {
  const validate = msgValidator();
  return validate(msg) ? [] : (validate.errors ?? []);
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
