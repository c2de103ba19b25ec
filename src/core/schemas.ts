import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';

/**
 * The JSON Schemas shipped in schema/ are the single source of the file formats. They sit two levels above
 * this file both in src/core and in dist/core, so the same relative path works from source and from the build.
 */
const requireJson = createRequire(import.meta.url);

export type SchemaName = 'template' | 'notifications' | 'msg' | 'report';

export function loadSchema(name: SchemaName): Record<string, unknown> {
  return requireJson(`../../schema/${name}.schema.json`) as Record<string, unknown>;
}

let ajv: Ajv | undefined;
const compiled = new Map<SchemaName, ValidateFunction>();

/** Compiled lazily: a command pays only for the schemas it uses. */
export function schemaValidator(name: SchemaName): ValidateFunction {
  let fn = compiled.get(name);
  if (!fn) {
    ajv ??= newAjv(true);
    fn = ajv.compile(loadSchema(name));
    compiled.set(name, fn);
  }
  return fn;
}

export function newAjv(strict: boolean): Ajv {
  const instance = new Ajv({ allErrors: true, strict, verbose: true });
  addFormats.default(instance);
  return instance;
}
