/** Reading the template tree itself: which nodes are lists by data (`$each`) and whether they are well formed. */

export type TemplatePath = (string | number)[];

export interface EachSpec {
  /** The variable path as written, e.g. `report.items`. */
  source: string;
  keys: string[];
  as: string;
  item: unknown;
}

const EACH_KEYS = new Set(['$each', 'as', 'item']);
const PATH = /^[^.\s{}[\]]+(\.[^.\s{}[\]]+)*$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

export function isEachNode(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.hasOwn(value, '$each');
}

/** Checks a `{ $each, as, item }` node; `reserved` are names `as` may not take (helpers would shadow it). */
export function readEach(node: Record<string, unknown>, reserved: ReadonlySet<string>): EachSpec | { problem: string } {
  const extra = Object.keys(node).filter((k) => !EACH_KEYS.has(k));
  if (extra.length > 0) return { problem: `unexpected key(s) ${extra.map((k) => `"${k}"`).join(', ')} next to $each (allowed: $each, as, item)` };
  const source = node.$each;
  if (typeof source !== 'string' || !PATH.test(source)) {
    return { problem: `$each must name a variable path such as "fields" or "report.items", got ${JSON.stringify(source)}` };
  }
  if (!Object.hasOwn(node, 'as')) return { problem: '$each needs "as": the name of one element inside "item"' };
  if (typeof node.as !== 'string' || !NAME.test(node.as) || reserved.has(node.as) || node.as === 'this' || node.as === '__proto__') {
    return { problem: `"as" must be a plain name (letters, digits, _) that is not a helper name, got ${JSON.stringify(node.as)}` };
  }
  if (!Object.hasOwn(node, 'item') || node.item === undefined) return { problem: '$each needs "item": the node to repeat for each element' };
  return { source, keys: source.split('.'), as: node.as, item: node.item };
}
