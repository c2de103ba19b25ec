import { fsUserError } from '../fsError.js';
import { StateError } from './types.js';

/** A file-system failure of the state as one clear StateError (exit 2): the environment's words when known. */
export function stateFsError(e: unknown, fallback: string, hint: string): StateError {
  if (e instanceof StateError) return e;
  const known = fsUserError(e);
  return new StateError(known?.message ?? `${fallback}: ${e instanceof Error ? e.message : String(e)}`, known?.hint ? `${known.hint} ${hint}` : hint);
}
