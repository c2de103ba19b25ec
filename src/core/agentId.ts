/**
 * What a valid DingTalk AgentId is — the one rule `validate` (the value written in notifications.yaml) and `send`
 * (that value, or the environment variable it names, once resolved) both apply: a positive whole number, written
 * in decimal digits when it comes as text, and small enough to be sent exactly (≤ 2^53 − 1: a larger one would go
 * out as a different number). Text such as `0x10`, `1e3`, ` 12` or `12.0` is not an AgentId, even though
 * JavaScript's Number() reads it as one.
 */
export function agentIdProblem(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) return `must be a positive whole number, got ${String(value)}`;
    if (!Number.isSafeInteger(value)) return `is too large to be sent exactly (at most ${Number.MAX_SAFE_INTEGER})`;
    return undefined;
  }
  if (typeof value === 'string') {
    if (!/^[1-9][0-9]*$/.test(value)) return `must be a positive whole number in decimal digits, got ${JSON.stringify(value)}`;
    if (!Number.isSafeInteger(Number(value))) return `is too large to be sent exactly (at most ${Number.MAX_SAFE_INTEGER})`;
    return undefined;
  }
  return `must be a positive whole number, got ${value === undefined ? 'nothing' : typeof value}`;
}

/** The AgentId as a number, if `value` is one by agentIdProblem's rule. */
export function agentIdOf(value: unknown): number | undefined {
  return agentIdProblem(value) === undefined ? Number(value) : undefined;
}
