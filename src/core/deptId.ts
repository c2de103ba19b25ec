/**
 * A department id as DingTalk keeps it: a positive 64-bit integer (a Long), carried as its exact decimal digits.
 * A JavaScript number cannot hold one beyond 2^53 (12345678901234567890 would become 12345678901234567000).
 */
export type DeptId = string;

/**
 * The id a value names, in one canonical form for look-ups: `0123` and `123` are one department to DingTalk (it
 * reads a Long). A number is accepted only while it is exact. Undefined for anything that is not a department id.
 */
export function deptIdOf(v: unknown): DeptId | undefined {
  if (typeof v === 'bigint') return v > 0n ? v.toString() : undefined;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? String(v) : undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v)) return undefined;
  const digits = v.replace(/^0+(?=\d)/, '');
  return digits === '0' ? undefined : digits;
}
