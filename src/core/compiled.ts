import { compileMsg, type CompiledMsg, type RenderError } from './render/index.js';
import type { TemplateDef } from './project.js';

/** Each template is compiled once per project (its CompileMemo), however many examples and notifications render it. */
export function compiledTemplate(template: TemplateDef): CompiledMsg | { errors: RenderError[] } {
  const cache = template.memo.templates;
  let c = cache.get(template);
  if (!c) {
    c = compileMsg(template.msg);
    cache.set(template, c);
  }
  return c;
}
