import { deptIdOf } from '../core/deptId.js';
import { UserError } from '../errors.js';

// Readers for the sandbox's own YAML/JSON files (its config and organisation files): each value checked where it is
// read, with `where` naming it in the error ("sandbox.yaml: users[2].dept_ids[0] must be …").

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A key the format does not have is an error naming it and the known ones (a typo must not be ignored). */
export function knownKeys(o: Record<string, unknown>, known: readonly string[], where: string): void {
  const extra = Object.keys(o).find((k) => !known.includes(k));
  if (extra !== undefined) throw new UserError(`${where}: unknown key "${extra}"`, `known keys: ${known.join(', ')}`);
}

/** A mapping with only `known` keys. */
export function fields(v: unknown, where: string, known: readonly string[]): Record<string, unknown> {
  if (!isObject(v)) throw new UserError(`${where} must be a mapping`);
  knownKeys(v, known, where);
  return v;
}

export function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new UserError(`${where} must be a list`);
  return v;
}

export function str(v: unknown, where: string): string {
  if (typeof v !== 'string' || v === '') throw new UserError(`${where} must be a non-empty string`);
  return v;
}

/** A department id, exact: one beyond 2^53 must be quoted in YAML, or the number read would name another department. */
export function deptId(v: unknown, where: string): string {
  const id = deptIdOf(v);
  if (id !== undefined) return id;
  if (typeof v === 'number' && Number.isInteger(v) && v > 0) throw new UserError(`${where}: ${v} is beyond 2^53 and cannot be read exactly as a number`, 'Write the id in quotes, e.g. "12345678901234567890".');
  throw new UserError(`${where} must be a positive integer (a department id)`);
}
