/**
 * Map a path inside a rendered msg back to the template node it came from: an index into a list that was
 * written as `{ $each, as, item }` comes from that node's `item`.
 */
export function templatePathFor(template: unknown, renderedPath: readonly (string | number)[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node: unknown = template;
  for (const seg of renderedPath) {
    if (isEachNode(node) && typeof seg === 'number') {
      out.push('item');
      node = node.item;
      continue;
    }
    out.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  }
  return out;
}

export function isEachNode(node: unknown): node is { $each: string; as: string; item: unknown } {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && '$each' in node;
}
