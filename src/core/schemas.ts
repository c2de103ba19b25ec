import type { Ajv, ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import { validate as validateMsg } from '../generated/msg.validator.js';
import { validate as validateNotifications } from '../generated/notifications.validator.js';
import { validate as validatePlan } from '../generated/plan.validator.js';
import { validate as validateReport } from '../generated/report.validator.js';
import { validate as validateTemplate } from '../generated/template.validator.js';

/**
 * The JSON Schemas shipped in schema/ are the single source of the file formats. They sit two levels above
 * this file both in src/core and in dist/core, so the same relative path works from source and from the build.
 */
const requireHere = createRequire(import.meta.url);

export type SchemaName = 'template' | 'notifications' | 'msg' | 'report' | 'plan';

export function loadSchema(name: SchemaName): Record<string, unknown> {
  return requireHere(`../../schema/${name}.schema.json`) as Record<string, unknown>;
}

/** Our own schemas are precompiled by `npm run generate` (scripts/generate-validators.mjs) with the options
 * newAjv(true) sets: compiling them at start-up was most of `dingcast validate`'s cold start.
 * test/generated/ fails when schema/ changes without regenerating. */
const precompiled: Readonly<Record<SchemaName, ValidateFunction>> = {
  template: validateTemplate,
  notifications: validateNotifications,
  msg: validateMsg,
  report: validateReport,
  plan: validatePlan,
};

export function schemaValidator(name: SchemaName): ValidateFunction {
  return precompiled[name];
}

/** For schemas only known at run time (users' variable schemas). Ajv is required here, on first use,
 * so commands that only check our own files never load it. */
export function newAjv(strict: boolean, opts: { validateSchema?: boolean } = {}): Ajv {
  const { Ajv: AjvClass } = requireHere('ajv') as typeof import('ajv');
  const addFormats = requireHere('ajv-formats') as typeof import('ajv-formats');
  const instance = new AjvClass({ allErrors: true, strict, verbose: true, validateSchema: opts.validateSchema ?? true });
  addFormats.default(instance);
  return instance;
}
