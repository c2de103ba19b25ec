import type { ValidateFunction } from 'ajv';
import { BLOCK_HELPERS, publicHelpers } from '../render/helpers.js';
import { collectVariableUses } from '../render/index.js';
import type { TemplateDef, Vars } from '../project.js';
import { describeSchemaErrors, type SchemaProblem } from '../schemaErrors.js';
import { newAjv } from './ajv.js';

/** Check a set of variable values against the template's `variables` schema; paths are inside the values. */
export function checkVars(template: TemplateDef, vars: Vars): SchemaProblem[] {
  const validate = variablesValidator(template);
  if (Array.isArray(validate)) return [];
  if (validate(vars)) return [];
  return describeSchemaErrors(validate.errors ?? [], 'the variables object').map((p) => ({ ...p, code: p.code.replace(/^schema\//, 'vars/') }));
}

/** Problems with the `variables` schema itself (it is user-written JSON Schema). */
export function variablesSchemaProblems(template: TemplateDef): SchemaProblem[] {
  const v = variablesValidator(template);
  return Array.isArray(v) ? v : [];
}

function variablesValidator(template: TemplateDef): ValidateFunction | SchemaProblem[] {
  const memo = template.memo;
  // Keyed by the schema's text: a thousand templates sharing one `variables` schema compile it once.
  const key = JSON.stringify(template.variables);
  let v = memo.variableSchemas.get(key);
  if (!v) {
    // Users' schemas may use annotations we don't know (e.g. `examples`, `x-…`); only the structure matters here.
    // template.schema.json already checked `variables` against the draft-07 meta-schema (precompiled, with
    // positions), so Ajv need not compile the meta-schema again: that was a third of validate's start-up.
    memo.ajv ??= newAjv(false, { validateSchema: false });
    try {
      v = memo.ajv.compile(template.variables);
    } catch (e) {
      v = [{ path: [], at: 'key', code: 'template/bad-variables-schema', message: `\`variables\` is not a valid JSON Schema: ${(e as Error).message}`, hint: 'See https://json-schema.org/understanding-json-schema/ ; e.g. `type: object` with `properties`.' }];
    }
    memo.variableSchemas.set(key, v);
  }
  return v;
}

export interface VariableUsage {
  undeclared: { name: string; path: (string | number)[] }[];
  unused: string[];
  used: Set<string>;
  /** Declared variables named like a helper: `{{date}}` calls the helper and never reads the variable. */
  shadowed: string[];
}

const HELPER_NAMES = new Set([...Object.keys(publicHelpers), ...BLOCK_HELPERS, 'lookup', 'log']);

/** Variables the msg uses but `variables` does not declare, and declared ones the msg never uses. */
export function variableUsage(template: TemplateDef): VariableUsage {
  const declared = Object.keys((template.variables.properties as Record<string, unknown> | undefined) ?? {});
  const uses = collectVariableUses(template.msg);
  const used = new Set(uses.map((u) => u.name));
  const seen = new Set<string>();
  const undeclared = [];
  for (const u of uses) {
    if (declared.includes(u.name) || seen.has(u.name)) continue;
    seen.add(u.name);
    undeclared.push({ name: u.name, path: u.path });
  }
  const shadowed = declared.filter((d) => HELPER_NAMES.has(d));
  return { undeclared, unused: declared.filter((d) => !used.has(d) && !shadowed.includes(d)), used, shadowed };
}
