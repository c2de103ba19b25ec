import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client, ClientConfig } from 'pg';
import { UserError } from '../../errors.js';
import type { LedgerEntry, LedgerRecord } from '../ledger.js';
import { leaseTtlMs } from './fileLock.js';
import { StateError, type AppendResult, type LedgerRead, type Lock, type ReadQuery, type StateStore } from './types.js';

/**
 * The ledger and the lock in PostgreSQL, for runners with no shared disk (CI jobs, CronJob pods, a laptop and a
 * server). Four tables, created on first use:
 * - `dingcast_meta`: the schema version; a database written by a newer dingcast is refused.
 * - `dingcast_ledger`: the file ledger's records, one row each, keyed by (scope, id) where id is the hash of the
 *   record as first written, so a retried insert is harmless (`ON CONFLICT DO NOTHING`).
 * - `dingcast_deliveries`: (scope, day, identity, recipient) → the run that claimed it, written in the same
 *   transaction as the intent. A recipient already claimed under the same lease, or under a newer one, is not
 *   claimed again; a run under a newer lease may re-claim what an older (dead or fenced) one left unanswered.
 * - `dingcast_lease`: one row per scope. Its expiry is decided by the server's `now()` (no client clock), a
 *   holder renews it every TTL/3, and it is taken over only once expired. Its token grows with every holder and
 *   every ledger write checks it inside its transaction (`FOR SHARE`), so a runner whose lease was taken over
 *   cannot write, and therefore does not make its next call.
 * Not session advisory locks: they break behind PgBouncer, must be released on the same backend, and survive a
 * hung client for hours.
 */
export const SCHEMA_VERSION = 1;

export interface PostgresOptions {
  /** `DINGCAST_STATE`: a postgres:// URL (a secret: never printed). Missing parts come from the standard PG* variables. */
  url: string;
  scope: string;
  env?: NodeJS.ProcessEnv;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS dingcast_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS dingcast_ledger (
  scope text NOT NULL, id text NOT NULL, seq bigserial NOT NULL, type text NOT NULL, day text, key text,
  notification text, run text NOT NULL, record jsonb NOT NULL, written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, id));
CREATE INDEX IF NOT EXISTS dingcast_ledger_day ON dingcast_ledger (scope, day);
CREATE INDEX IF NOT EXISTS dingcast_ledger_key ON dingcast_ledger (scope, key);
CREATE INDEX IF NOT EXISTS dingcast_ledger_slot ON dingcast_ledger (scope, notification, seq) WHERE type = 'slot';
CREATE TABLE IF NOT EXISTS dingcast_deliveries (
  scope text NOT NULL, day text NOT NULL, identity text NOT NULL, recipient text NOT NULL, run text NOT NULL,
  key text NOT NULL, fence bigint NOT NULL, claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, day, identity, recipient));
CREATE TABLE IF NOT EXISTS dingcast_lease (
  scope text PRIMARY KEY, token bigint NOT NULL, run text NOT NULL, holder text NOT NULL, expires_at timestamptz NOT NULL);
`;

/** A connection string without its password, for messages (`postgres://user@host:5432/db`). */
export function redactUrl(url: string): string {
  if (!url) return 'PostgreSQL (PG* variables)';
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'DINGCAST_STATE (unparsable URL)';
  }
}

/** Remove every secret we know of from a driver's message. */
function redact(text: string, url: string, env: NodeJS.ProcessEnv): string {
  let out = url ? text.split(url).join('DINGCAST_STATE') : text;
  const secrets = [env.PGPASSWORD, safePassword(url)].filter((s): s is string => typeof s === 'string' && s.length > 0);
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

export async function postgresStore(opts: PostgresOptions): Promise<StateStore> {
  const env = opts.env ?? process.env;
  const where = `${redactUrl(opts.url)} (scope ${opts.scope})`;
  const fail = (what: string, e: unknown, hint = 'Nothing was sent.'): StateError => new StateError(`${what} (${where}): ${redact(e instanceof Error ? e.message : String(e), opts.url, env)}`, hint);
  const { default: pg } = await import('pg');
  const config: ClientConfig = { connectionTimeoutMillis: 10_000, application_name: 'dingcast', ...(opts.url ? { connectionString: opts.url } : {}) };
  const client: Client = new pg.Client(config);
  // A connection that drops mid-run must surface on the next query, not crash the process.
  let broken: StateError | undefined;
  client.on('error', (e) => (broken = fail('the state database connection was lost', e, 'The run stops; unanswered calls stay unknown and the next run retries them with their recorded bytes.')));
  try {
    await client.connect();
  } catch (e) {
    throw fail('cannot reach the state database', e, 'Check DINGCAST_STATE (and PGHOST, PGUSER… if you use them) and that the database accepts connections. Nothing was sent.');
  }
  let skewMs: number;
  try {
    skewMs = await migrate(client);
  } catch (e) {
    await client.end().catch(() => undefined);
    if (e instanceof UserError) throw e;
    throw fail('cannot prepare the state database', e);
  }
  const ttlMs = leaseTtlMs(env);
  const dayOfKey = new Map<string, string>();
  let lease: { token: string; run: string; lost?: StateError; beat: NodeJS.Timeout } | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // One connection, one statement at a time: appends, heartbeats and release are queued in order.
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const next = queue.then(() => {
      if (broken) throw broken;
      return f();
    });
    queue = next.catch(() => undefined);
    return next;
  };
  let closed = false;

  const release = (): Promise<void> =>
    serial(async () => {
      if (!lease) return;
      clearInterval(lease.beat);
      const { token } = lease;
      lease = undefined;
      await client.query(`UPDATE dingcast_lease SET expires_at = now() - interval '1 millisecond' WHERE scope = $1 AND token = $2`, [opts.scope, token]);
    }).catch(() => undefined);

  return {
    backend: 'postgres',
    where,
    serverClockSkewMs: skewMs,
    read: (query: ReadQuery = {}) =>
      serial(async () => {
        const rows =
          query.day === undefined
            ? await client.query<{ id: string; record: LedgerRecord }>(`SELECT id, record, seq FROM dingcast_ledger WHERE scope = $1 ORDER BY seq`, [opts.scope])
            : await client.query<{ id: string; record: LedgerRecord }>(
                // The plan's day (its intents and their answers) and each notification's last fired slot: a year of history is not read.
                `SELECT id, record, seq FROM dingcast_ledger WHERE scope = $1 AND (day = $2 OR key IN (SELECT key FROM dingcast_ledger WHERE scope = $1 AND day = $2 AND type = 'intent'))
                 UNION SELECT id, record, seq FROM (SELECT DISTINCT ON (notification) id, record, seq FROM dingcast_ledger WHERE scope = $1 AND type = 'slot' ORDER BY notification, seq DESC) s
                 ORDER BY seq`,
                [opts.scope, query.day],
              );
        const list = rows.rows;
        for (const r of list) {
          const rec = r.record as { key?: unknown; day?: unknown };
          if (typeof rec.key === 'string' && typeof rec.day === 'string') dayOfKey.set(rec.key, rec.day);
        }
        const h = createHash('sha256');
        for (const r of list) h.update(`${r.id}\n`);
        return { records: list.map((r) => r.record), sha256: h.digest('hex'), warnings: [] } satisfies LedgerRead;
      }).catch((e: unknown) => {
        throw e instanceof StateError ? e : fail('cannot read the state database', e);
      }),

    async lock(runId: string, waitMs: number): Promise<Lock> {
      const deadline = Date.now() + waitMs;
      const holder = `${hostname()} pid ${process.pid}`;
      for (;;) {
        const got = await serial(() =>
          client.query<{ token: string }>(
            `INSERT INTO dingcast_lease AS l (scope, token, run, holder, expires_at) VALUES ($1, 1, $2, $3, now() + $4 * interval '1 millisecond')
             ON CONFLICT (scope) DO UPDATE SET token = l.token + 1, run = EXCLUDED.run, holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
             WHERE l.expires_at <= now() RETURNING token`,
            [opts.scope, runId, holder, ttlMs],
          ),
        ).catch((e: unknown) => {
          throw e instanceof StateError ? e : fail('cannot take the lease in the state database', e);
        });
        if (got.rows[0]) {
          const token = got.rows[0].token;
          const beat = setInterval(() => void heartbeat(), Math.max(100, Math.floor(ttlMs / 3)));
          beat.unref();
          lease = { token, run: runId, beat };
          return { release };
        }
        const held = await serial(() => client.query<{ run: string; holder: string; left_ms: string }>(`SELECT run, holder, GREATEST(0, EXTRACT(EPOCH FROM expires_at - now()) * 1000)::bigint AS left_ms FROM dingcast_lease WHERE scope = $1`, [opts.scope]));
        const h = held.rows[0];
        if (Date.now() >= deadline) {
          throw new UserError(
            `another dingcast run${h ? ` (${h.run}, ${h.holder})` : ''} holds the lease of ${where}`,
            `Wait for it (or pass --lock-wait SECONDS). A holder that died lets go within ${Math.round(ttlMs / 1000)} s${h ? ` (this one in ${Math.ceil(Number(h.left_ms) / 1000)} s)` : ''}.`,
          );
        }
        const left = Math.max(1, deadline - Date.now());
        await new Promise((r) => setTimeout(r, Math.min(left, Math.max(20, Math.min(250, h ? Number(h.left_ms) : 50)))));
      }
    },

    append(entry: LedgerEntry): Promise<AppendResult> {
      if (closed) return Promise.reject(new StateError('the state store is closed'));
      const record = { v: 1, ts: new Date().toISOString(), ...entry } as LedgerRecord;
      const id = createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32);
      const r = record as { type: string; run: string; key?: string; day?: string; notification?: string; recipients?: string[]; identity?: string; sha256?: string };
      const day = r.day ?? (r.key !== undefined ? dayOfKey.get(r.key) : undefined);
      if (r.key !== undefined && r.day !== undefined) dayOfKey.set(r.key, r.day);
      return serial(async () => {
        if (lease?.lost) throw lease.lost;
        await client.query('BEGIN');
        try {
          if (lease) {
            const ok = await client.query(`SELECT 1 FROM dingcast_lease WHERE scope = $1 AND token = $2 AND expires_at > now() FOR SHARE`, [opts.scope, lease.token]);
            if (ok.rowCount === 0) throw lostLease(lease);
          }
          await client.query(`INSERT INTO dingcast_ledger (scope, id, type, day, key, notification, run, record) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (scope, id) DO NOTHING`, [opts.scope, id, r.type, day ?? null, r.key ?? null, r.notification ?? null, r.run, JSON.stringify(record)]);
          let result: AppendResult = {};
          if (r.type === 'intent' && Array.isArray(r.recipients) && r.day !== undefined && r.key !== undefined) {
            const identity = r.identity ?? `${r.notification ?? ''}|${r.sha256 ?? ''}`;
            const claimed = await client.query<{ recipient: string }>(
              `INSERT INTO dingcast_deliveries AS d (scope, day, identity, recipient, run, key, fence) SELECT $1, $2, $3, x, $5, $6, $7 FROM unnest($4::text[]) AS x
               ON CONFLICT (scope, day, identity, recipient) DO UPDATE SET run = EXCLUDED.run, key = EXCLUDED.key, fence = EXCLUDED.fence, claimed_at = now()
               WHERE d.fence < EXCLUDED.fence RETURNING recipient`,
              [opts.scope, r.day, identity, r.recipients, r.run, r.key, lease?.token ?? 0],
            );
            const mine = new Set(claimed.rows.map((x) => x.recipient));
            result = { claimed: r.recipients.filter((x) => mine.has(x)) };
          }
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e instanceof StateError ? e : fail('the state database did not record the entry', e, 'The call it announced was not made; the run stops.');
        }
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await release();
      await queue;
      await client.end().catch(() => undefined);
    },
  };

  async function heartbeat(): Promise<void> {
    const l = lease;
    if (!l || l.lost) return;
    await serial(async () => {
      const r = await client.query(`UPDATE dingcast_lease SET expires_at = now() + $3 * interval '1 millisecond' WHERE scope = $1 AND token = $2 AND expires_at > now()`, [opts.scope, l.token, ttlMs]);
      if (r.rowCount === 0) l.lost = lostLease(l);
    }).catch((e: unknown) => {
      l.lost = e instanceof StateError ? e : fail('the lease could not be renewed', e, 'The run stops before its next call.');
    });
  }

  function lostLease(l: { run: string }): StateError {
    return new StateError(`the lease of ${where} expired or was taken over by another run; ${l.run} stops before its next call`, 'This run was paused or cut off longer than the lease (60 s by default). Nothing more was sent by it; its unanswered calls stay unknown and are retried with their recorded bytes.');
  }
}

/** Create or check the schema in one transaction (a transaction-scoped advisory lock serialises first uses). Returns server clock − ours. */
async function migrate(client: Client): Promise<number> {
  const before = Date.now();
  await client.query('BEGIN');
  try {
    const now = await client.query<{ now: Date }>(`SELECT pg_advisory_xact_lock(4242017) AS l, now() AS now`);
    const serverNow = (now.rows[0] as { now: Date }).now.getTime();
    await client.query(SCHEMA);
    await client.query(`INSERT INTO dingcast_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING`, [String(SCHEMA_VERSION)]);
    const v = await client.query<{ value: string }>(`SELECT value FROM dingcast_meta WHERE key = 'schema_version'`);
    const version = Number(v.rows[0]?.value);
    if (!(version <= SCHEMA_VERSION)) {
      throw new StateError(`the state database was written by a newer dingcast (schema version ${v.rows[0]?.value}; this dingcast knows ${SCHEMA_VERSION})`, 'Upgrade dingcast on this runner. Nothing was sent (an older dingcast could misread newer records and send twice).');
    }
    await client.query('COMMIT');
    return serverNow - (before + Date.now()) / 2;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
