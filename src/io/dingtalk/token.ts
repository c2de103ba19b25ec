/** A fetched access token and how long DingTalk says it lives. */
export interface FetchedToken {
  token: string;
  expiresInSec: number;
}

interface Entry {
  token?: string;
  /** When to stop using the token: its expiry minus the refresh margin. */
  refreshAt: number;
  inflight?: Promise<string>;
}

/**
 * One token per app per process: DingTalk returns the same internal-app token while it is valid and
 * throttles gettoken, so every client of the same app shares one entry. The key includes a digest of the
 * secret so a client with a wrong secret cannot ride on a token fetched with the right one.
 */
const cache = new Map<string, Entry>();

export type TokenReason = 'initial' | 'expiring' | 'rejected';

export interface TokenSource {
  /** A valid token, fetching one if needed; concurrent callers share a single gettoken. */
  get(): Promise<string>;
  /** DingTalk rejected `token`: forget it unless someone already replaced it. */
  invalidate(token: string): void;
}

export interface TokenSourceOptions {
  key: string;
  fetch: () => Promise<FetchedToken>;
  now: () => number;
  refreshMarginMs: number;
  onRefresh: (reason: TokenReason) => void;
}

export function createTokenSource(opts: TokenSourceOptions): TokenSource {
  const entry = (): Entry => {
    let e = cache.get(opts.key);
    if (!e) {
      e = { refreshAt: 0 };
      cache.set(opts.key, e);
    }
    return e;
  };
  let rejected = false;

  return {
    get() {
      const e = entry();
      if (e.token && opts.now() < e.refreshAt) return Promise.resolve(e.token);
      if (e.inflight) return e.inflight;
      const reason: TokenReason = rejected ? 'rejected' : e.token ? 'expiring' : 'initial';
      rejected = false;
      opts.onRefresh(reason);
      const started = opts.now();
      const inflight = opts.fetch().then(
        (got) => {
          // Short-lived tokens (a sandbox may hand out 60 s) still need time to be used: cap the margin at half.
          const lifeMs = got.expiresInSec * 1000;
          e.token = got.token;
          e.refreshAt = started + lifeMs - Math.min(opts.refreshMarginMs, lifeMs / 2);
          e.inflight = undefined;
          return got.token;
        },
        (err: unknown) => {
          e.inflight = undefined;
          throw err;
        },
      );
      e.inflight = inflight;
      return inflight;
    },
    invalidate(token) {
      const e = entry();
      if (e.token === token) {
        e.token = undefined;
        e.refreshAt = 0;
        rejected = true;
      }
    },
  };
}

/** Forget every cached token (tests; a long-running process that rotated its secret). */
export function clearTokenCache(): void {
  cache.clear();
}
