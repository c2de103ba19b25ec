/**
 * The largest values a variables schema allows, to check the 2048-byte limit before real data arrives.
 * Each string character counts as a 3-byte Chinese character (the realistic worst case; a control character
 * escaped as \uXXXX would weigh 6, which we do not assume). Lists are filled to maxItems.
 */
type Schema = Record<string, unknown>;

export interface WorstCase {
  value: unknown;
  /** Paths like `changes[]` or `owner.name` that have no bound, so the message can grow without limit. */
  unbounded: string[];
}

const WIDE_CHAR = '字';
const LONGEST_FORMATS: Record<string, number> = { date: 10, time: 18, 'date-time': 29, email: 254, uri: 2048, uuid: 36, ipv4: 15, ipv6: 45, hostname: 253 };

export function worstCaseOf(schema: unknown, path = ''): WorstCase {
  const s = (schema ?? {}) as Schema;
  if (Array.isArray(s.enum)) return { value: longest(s.enum), unbounded: [] };
  if ('const' in s) return { value: s.const, unbounded: [] };
  const type = Array.isArray(s.type) ? (s.type as string[])[0] : (s.type as string | undefined);
  switch (type) {
    case 'string': {
      const max = s.maxLength as number | undefined;
      if (max !== undefined) return { value: WIDE_CHAR.repeat(max), unbounded: [] };
      const formatMax = LONGEST_FORMATS[String(s.format)];
      if (formatMax !== undefined) return { value: 'x'.repeat(formatMax), unbounded: [] };
      return { value: WIDE_CHAR.repeat(8), unbounded: [path || '(root)'] };
    }
    case 'integer':
    case 'number':
      return { value: typeof s.maximum === 'number' && typeof s.minimum === 'number' ? widerNumber(s.minimum, s.maximum) : -9007199254740991, unbounded: [] };
    case 'boolean':
      return { value: false, unbounded: [] };
    case 'null':
      return { value: null, unbounded: [] };
    case 'array': {
      const item = worstCaseOf(s.items, `${path}[]`);
      const max = s.maxItems as number | undefined;
      const unbounded = [...item.unbounded];
      if (max === undefined) unbounded.push(`${path}[] (no maxItems)`);
      return { value: Array.from({ length: max ?? 3 }, () => item.value), unbounded };
    }
    case 'object':
    default: {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      const value: Record<string, unknown> = {};
      const unbounded: string[] = [];
      for (const [k, sub] of Object.entries(props)) {
        const w = worstCaseOf(sub, path ? `${path}.${k}` : k);
        value[k] = w.value;
        unbounded.push(...w.unbounded);
      }
      return { value, unbounded };
    }
  }
}

function longest(values: unknown[]): unknown {
  let best: unknown = values[0];
  for (const v of values) if (Buffer.byteLength(JSON.stringify(v) ?? '') > Buffer.byteLength(JSON.stringify(best) ?? '')) best = v;
  return best;
}

function widerNumber(min: number, max: number): number {
  return String(min).length > String(max).length ? min : max;
}
