import type { Vars } from '../project.js';

/** What a masked value shows: `¥{{net}}` previews as `¥•••••`. */
export const MASK = '•••••';

/**
 * Variables whose schema says `sensitive: true` (`net: { type: string, sensitive: true }`): a salary, a score.
 * Their values never reach a preview, a diff, a report, a log or the state (design.md §8).
 */
export function sensitiveFields(variables: Record<string, unknown> | undefined): string[] {
  const props = (variables?.properties as Record<string, { sensitive?: unknown } | undefined> | undefined) ?? {};
  return Object.entries(props)
    .filter(([, schema]) => schema?.sensitive === true)
    .map(([name]) => name);
}

/** The variables with every sensitive one replaced by the mask, for rendering what people may see. */
export function maskVars(vars: Vars, sensitive: readonly string[]): Vars {
  if (sensitive.length === 0) return vars;
  const out: Vars = { ...vars };
  for (const name of sensitive) if (name in out) out[name] = MASK;
  return out;
}

/** The sensitive values of one row as they could appear in text (a message, an error). Short ones too: "0" is a salary. */
export function sensitiveValues(vars: Vars, sensitive: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of sensitive) {
    const v = vars[name];
    if (v === undefined || v === null || v === '') continue;
    out.push(typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));
  }
  // Longest first, so "12345" is masked whole before "123" could split it.
  return out.sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of the values in a text (a diagnostic that echoes a cell, for one). */
export function maskText(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) if (v !== '') out = out.split(v).join(MASK);
  return out;
}
