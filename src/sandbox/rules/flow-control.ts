/** What happened to one recipient of a task; `code`/`count` feed getsendresult's forbidden_list. */
export interface Delivery {
  userid: string;
  outcome: 'delivered' | 'invalid' | 'forbidden' | 'failed';
  code?: string;
  count?: number;
}

export interface FlowContext {
  isKnownUser(userid: string): boolean;
  /** Messages this app already delivered to the user today (calendar day in the configured zone). */
  receivedToday(userid: string): number;
  /** Whether this app already delivered this exact msg to the user today. */
  sawContentToday(userid: string): boolean;
  dailyCap: number;
  failingUsers: ReadonlySet<string>;
  /** A forced outcome for a user who would otherwise receive it (a `user` fault); consumed when returned. */
  injected?(userid: string): { outcome: 'failed' | 'forbidden'; code?: string } | null;
}

/** Duplicate content the same day [D SEND, seed page]. */
export const CODE_DUPLICATE = '143106';
/** The app's recipients-per-minute cap [D SEND]; `count` in forbidden_list is the threshold. */
export const CODE_APP_PER_MINUTE = '143103';
export const RECIPIENTS_PER_MINUTE = 5000;
/** Per-user daily cap: 500 internal, 50 ISV (seed page) [D RESULT]. */
export const CODE_DAILY_CAP = '143105';

/**
 * DingTalk accepts the send and silently filters recipients [D SEND]: unknown userids are invalid,
 * a repeat of today's content or a user past the daily cap is forbidden (the send still succeeds).
 * Duplicates are checked before the cap because they are the more specific reason.
 */
export function decideDeliveries(userids: string[], ctx: FlowContext): Delivery[] {
  return userids.map((userid): Delivery => {
    if (!ctx.isKnownUser(userid)) return { userid, outcome: 'invalid' };
    if (ctx.sawContentToday(userid)) return { userid, outcome: 'forbidden', code: CODE_DUPLICATE, count: 1 };
    if (ctx.receivedToday(userid) >= ctx.dailyCap) {
      return { userid, outcome: 'forbidden', code: CODE_DAILY_CAP, count: ctx.dailyCap };
    }
    if (ctx.failingUsers.has(userid)) return { userid, outcome: 'failed' };
    const forced = ctx.injected?.(userid);
    if (forced?.outcome === 'failed') return { userid, outcome: 'failed' };
    if (forced) {
      const code = forced.code ?? CODE_APP_PER_MINUTE;
      return { userid, outcome: 'forbidden', code, count: code === CODE_APP_PER_MINUTE ? RECIPIENTS_PER_MINUTE : 1 };
    }
    return { userid, outcome: 'delivered' };
  });
}

/**
 * At most `cap` people a minute receive an app's messages [D SEND]; beyond it the send still answers ok and
 * the rest are forbidden with 143103 (the app's per-minute cap), as getsendresult then shows. `already` is
 * how many this app delivered in the last minute. Returns the deliveries and how many of them were delivered.
 */
export function capPerMinute(deliveries: Delivery[], already: number, cap: number): { deliveries: Delivery[]; delivered: number } {
  let count = already;
  let delivered = 0;
  const out = deliveries.map((d): Delivery => {
    if (d.outcome !== 'delivered') return d;
    if (cap > 0 && count >= cap) return { userid: d.userid, outcome: 'forbidden', code: CODE_APP_PER_MINUTE, count: cap };
    count++;
    delivered++;
    return d;
  });
  return { deliveries: out, delivered };
}
