import type { Plan } from './types.js';

/**
 * The plan as it may be shown or written (`send --dry-run --json`): a call whose msg holds sensitive values
 * (`each:` with `sensitive: true`) keeps everything but that msg. The notification's msg is already a masked sample.
 */
export function publicPlan(plan: Plan): Plan {
  if (!holdsSensitive(plan)) return plan;
  return { ...plan, notifications: plan.notifications.map((n) => ({ ...n, calls: n.calls.map((c) => (c.sensitive ? withoutMsg(c) : c)) })) };
}

export function holdsSensitive(plan: Plan): boolean {
  return plan.notifications.some((n) => n.calls.some((c) => c.sensitive));
}

function withoutMsg<T extends { msg?: string }>(c: T): Omit<T, 'msg'> {
  const { msg: _msg, ...rest } = c;
  return rest;
}
