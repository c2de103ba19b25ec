import type { ValidateFunction } from 'ajv';
import { validate as validateMsg } from '../generated/msg.validator.js';
import { validate as validateNotifications } from '../generated/notifications.validator.js';
import { validate as validatePlan } from '../generated/plan.validator.js';
import { validate as validateReport } from '../generated/report.validator.js';
import { validate as validateTemplate } from '../generated/template.validator.js';

export type SchemaName = 'template' | 'notifications' | 'msg' | 'report' | 'plan';

/** The JSON Schemas in schema/ are the single source of the file formats. They are precompiled by
 * `npm run generate` (scripts/generate-validators.mjs) with the options newAjv(true) sets (core/validate/ajv.ts):
 * compiling them at start-up was most of `dingcast validate`'s cold start.
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
