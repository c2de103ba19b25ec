import { compileMsg, type CompiledMsg, type RenderError } from './render/index.js';
import type { TemplateDef } from './project.js';

const cache = new WeakMap<TemplateDef, CompiledMsg | { errors: RenderError[] }>();

/** Each template is compiled once per process, however many examples and notifications render it. */
export function compiledTemplate(template: TemplateDef): CompiledMsg | { errors: RenderError[] } {
  let c = cache.get(template);
  if (!c) {
    c = compileMsg(template.msg);
    cache.set(template, c);
  }
  return c;
}
