import { isScalar, visit, type Document, type Scalar } from 'yaml';

/** A key that repeats an earlier key of the same mapping. */
export interface DuplicateKey {
  /** Where the repeated key starts (an offset into the text). */
  offset: number;
  /** Where the first key with that value starts. */
  firstOffset: number;
  /** The key as written the second time. */
  written: string;
}

/**
 * Every repeated key of every mapping in the document. yaml's own check (`uniqueKeys: true`) compares each new key
 * with every earlier key of its mapping, which is quadratic in the mapping's size: a notifications.yaml of 10,000
 * entries spends seconds there. So the parse runs with it off and this makes the same comparison through a Map,
 * once per key. The rule is yaml's: two scalar keys are the same when their values are `===` (so `1` and `0x1`
 * are, `1` and `"1"` are not); a collection or an alias as a key is never the same as another key.
 */
export function duplicateKeys(doc: Document): DuplicateKey[] {
  const found: DuplicateKey[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<unknown, Scalar>();
      for (const pair of map.items) {
        const key = pair.key;
        // NaN is never === itself, so yaml never calls two `.nan` keys the same; a Map would.
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        const first = seen.get(key.value);
        if (first === undefined) seen.set(key.value, key);
        else found.push({ offset: key.range?.[0] ?? 0, firstOffset: first.range?.[0] ?? 0, written: key.source ?? String(key.value) });
      }
    },
  });
  return found.sort((a, b) => a.offset - b.offset);
}
