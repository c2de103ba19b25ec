import { parseLeaf } from './environment.js';
import { publicHelpers } from './helpers.js';
import { isEachNode, isPlainObject, readEach, type TemplatePath } from './shape.js';
import { analyzeTemplate } from './transform.js';
import type { VariableUse } from './types.js';

const HELPER_NAMES: ReadonlySet<string> = new Set(Object.keys(publicHelpers));

/**
 * The root variables a template reads, from the Handlebars AST of each string and from `$each` paths.
 * Not counted: `@data`, helper names, block parameters, `$each` element names, `this`, and paths inside
 * #each/#with that are relative to the block's element. Strings with syntax errors are skipped
 * (compileMsg reports them). Each (name, path) pair appears once, in template order.
 */
export function collectVariableUses(template: unknown): VariableUse[] {
  const uses: VariableUse[] = [];
  walk(template, [], new Set(), uses);
  return uses;
}

function walk(node: unknown, path: TemplatePath, asNames: ReadonlySet<string>, uses: VariableUse[]): void {
  if (typeof node === 'string') {
    if (!node.includes('{{')) return;
    const parsed = parseLeaf(node);
    if ('problem' in parsed) return;
    for (const name of analyzeTemplate(parsed.ast, asNames).uses) uses.push({ name, path: [...path] });
  } else if (Array.isArray(node)) {
    node.forEach((el, i) => walk(el, [...path, i], asNames, uses));
  } else if (isEachNode(node)) {
    const spec = readEach(node, HELPER_NAMES);
    if ('problem' in spec) return;
    const root = spec.keys[0] as string;
    if (!asNames.has(root)) uses.push({ name: root, path: [...path, '$each'] });
    walk(spec.item, [...path, 'item'], new Set([...asNames, spec.as]), uses);
  } else if (isPlainObject(node)) {
    for (const [k, v] of Object.entries(node)) walk(v, [...path, k], asNames, uses);
  }
}
