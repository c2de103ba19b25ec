import type { Ajv, ValidateFunction } from 'ajv';
import type { CompiledMsg, RenderError } from './render/index.js';
import type { SchemaProblem } from './schemaErrors.js';

/**
 * What a project has compiled so far: its templates (one compile however many examples and notifications
 * render them) and its variable schemas, by their JSON text, so identical schemas in many templates compile
 * once. loadProject creates one per project and every TemplateDef shares it, so the cache lives exactly as
 * long as the project value the caller holds; src/core keeps no state of its own.
 */
export interface CompileMemo {
  templates: WeakMap<object, CompiledMsg | { errors: RenderError[] }>;
  variableSchemas: Map<string, ValidateFunction | SchemaProblem[]>;
  ajv: Ajv | undefined;
}

export function newCompileMemo(): CompileMemo {
  return { templates: new WeakMap(), variableSchemas: new Map(), ajv: undefined };
}
