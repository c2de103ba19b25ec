import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client, ClientConfig } from 'pg';
import { UserError } from '../../errors.js';
import type { LedgerEntry, LedgerRecord } from '../ledger.js';
import { leaseTtlMs } from './fileLock.js';
import { StateError, type AppendResult, type LedgerRead, type Lock, type LockHolder, type ReadQuery, type StateStatus, type StateStore } from './types.js';

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

/**
 * A slot record's time, for "each notification's last slot": the latest slot, not the latest row (an imported
 * file ledger's older slots are inserted after newer ones). Anything not an ISO time with an offset sorts last.
 */
const SLOT_TIME = `(CASE WHEN record->>'slot' ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?(Z|[+-]\\d\\d:\\d\\d)$' THEN (record->>'slot')::timestamptz END)`;

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

/** An append waiting for the next batch: its ledger row, and for an intent the recipients it claims. */
interface Pending {
  row: { id: string; type: string; day: string | null; key: string | null; notification: string | null; run: string; record: string };
  claims: { day: string; identity: string; recipients: string[]; key: string } | undefined;
  done: (r: AppendResult) => void;
  fail: (e: unknown) => void;
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
  let waiting: Pending[] = [];
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
                // The plan's day (its intents and their answers), each notification's last fired slot, the uploaded media ids and the quota's call counts: a year of history is not read.
                `SELECT id, record, seq FROM dingcast_ledger WHERE scope = $1 AND (day = $2 OR key IN (SELECT key FROM dingcast_ledger WHERE scope = $1 AND day = $2 AND type = 'intent'))
                 UNION SELECT id, record, seq FROM (SELECT DISTINCT ON (notification) id, record, seq FROM dingcast_ledger WHERE scope = $1 AND type = 'slot' ORDER BY notification, ${SLOT_TIME} DESC NULLS LAST, seq DESC) s
                 UNION SELECT id, record, seq FROM dingcast_ledger WHERE scope = $1 AND type = 'media'
                 UNION SELECT id, record, seq FROM dingcast_ledger WHERE scope = $1 AND type = 'calls'
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
            `Wait for it (or pass --lock-wait SECONDS). A holder that died lets go within ${Math.round(ttlMs / 1000)} s${h ? ` (this one in ${Math.ceil(Number(h.left_ms) / 1000)} s)` : ''}; \`dingcast state unlock --force\` if you cannot wait.`,
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
      const isIntent = r.type === 'intent' && Array.isArray(r.recipients) && r.day !== undefined && r.key !== undefined;
      const pending: Pending = {
        row: { id, type: r.type, day: day ?? null, key: r.key ?? null, notification: r.notification ?? null, run: r.run, record: JSON.stringify(record) },
        claims: isIntent ? { day: r.day as string, identity: r.identity ?? `${r.notification ?? ''}|${r.sha256 ?? ''}`, recipients: r.recipients ?? [], key: r.key as string } : undefined,
        done: () => undefined,
        fail: () => undefined,
      };
      const result = new Promise<AppendResult>((done, fail) => {
        pending.done = done;
        pending.fail = fail;
      });
      waiting.push(pending);
      // Group commit: entries that arrive while a batch is being written go together in the next one.
      if (waiting.length === 1) {
        void serial(() => writeBatch()).catch((e: unknown) => {
          // The connection broke before the batch was written: every append waiting for it fails with that error.
          const failed = waiting;
          waiting = [];
          for (const b of failed) b.fail(e);
        });
      }
      return result;
    },

    async close() {
      if (closed) return;
      closed = true;
      await release();
      await queue;
      await client.end().catch(() => undefined);
    },

    status: () =>
      serial(async () => {
        const lease = await client.query<{ run: string; holder: string; expires_at: Date; expired: boolean }>(`SELECT run, holder, expires_at, expires_at <= now() AS expired FROM dingcast_lease WHERE scope = $1`, [opts.scope]);
        const types = await client.query<{ type: string; n: number }>(`SELECT type, count(*)::int AS n FROM dingcast_ledger WHERE scope = $1 GROUP BY type ORDER BY type`, [opts.scope]);
        const size = await client.query<{ bytes: string; first: string | null; last: string | null }>(
          `SELECT coalesce(sum(pg_column_size(record)), 0)::bigint AS bytes, min(day) FILTER (WHERE type = 'intent') AS first, max(day) FILTER (WHERE type = 'intent') AS last FROM dingcast_ledger WHERE scope = $1`,
          [opts.scope],
        );
        const slots = await client.query<{ notification: string; slot: string }>(
          `SELECT DISTINCT ON (notification) notification, record->>'slot' AS slot FROM dingcast_ledger WHERE scope = $1 AND type = 'slot' ORDER BY notification, ${SLOT_TIME} DESC NULLS LAST, seq DESC`,
          [opts.scope],
        );
        const l = lease.rows[0];
        const byType = Object.fromEntries(types.rows.map((t) => [t.type, t.n]));
        const s = size.rows[0];
        return {
          backend: 'postgres',
          where,
          scope: opts.scope,
          schemaVersion: SCHEMA_VERSION,
          lock: l ? leaseHolder(l) : null,
          records: types.rows.reduce((sum, t) => sum + t.n, 0),
          byType,
          bytes: Number(s?.bytes ?? 0),
          firstDay: s?.first ?? null,
          lastDay: s?.last ?? null,
          lastSlots: slots.rows,
        } satisfies StateStatus;
      }).catch((e: unknown) => {
        throw e instanceof StateError ? e : fail('cannot read the state database', e);
      }),

    forceUnlock: () =>
      serial(async () => {
        const old = await client.query<{ run: string; holder: string; expires_at: Date; expired: boolean }>(
          `WITH old AS (SELECT scope, run, holder, expires_at, expires_at <= now() AS expired FROM dingcast_lease WHERE scope = $1 FOR UPDATE)
           UPDATE dingcast_lease l SET expires_at = LEAST(l.expires_at, now() - interval '1 millisecond') FROM old WHERE l.scope = old.scope
           RETURNING old.run, old.holder, old.expires_at, old.expired`,
          [opts.scope],
        );
        const l = old.rows[0];
        return l ? leaseHolder(l) : undefined;
      }).catch((e: unknown) => {
        throw e instanceof StateError ? e : fail('cannot release the lease in the state database', e);
      }),

    importRecords: (records: LedgerRecord[]) =>
      serial(async () => {
        const days = new Map<string, string>();
        for (const r of records) if (r.type === 'intent') days.set(r.key, r.day);
        const rows = records.map((record) => {
          const r = record as { type: string; run?: string; key?: string; day?: string; notification?: string };
          return { id: createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32), type: r.type, day: r.day ?? (r.key !== undefined ? days.get(r.key) : undefined) ?? null, key: r.key ?? null, notification: r.notification ?? null, run: r.run ?? '', record: JSON.stringify(record) };
        });
        await client.query('BEGIN');
        try {
          let added = 0;
          // In slices, in file order (seq keeps it), so a big ledger is not one giant statement.
          for (let i = 0; i < rows.length; i += 1000) {
            const part = rows.slice(i, i + 1000);
            const col = <K extends keyof (typeof rows)[number]>(k: K) => part.map((x) => x[k]);
            const res = await client.query(
              `INSERT INTO dingcast_ledger (scope, id, type, day, key, notification, run, record)
               SELECT $1, id, type, day, key, notification, run, record::jsonb FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS t(id, type, day, key, notification, run, record, n)
               ORDER BY n ON CONFLICT (scope, id) DO NOTHING`,
              [opts.scope, col('id'), col('type'), col('day'), col('key'), col('notification'), col('run'), col('record')],
            );
            added += res.rowCount ?? 0;
          }
          // Their recipients count as claimed by those runs (fence 0: any leased run may re-claim what stayed unanswered).
          for (const r of records) {
            if (r.type !== 'intent') continue;
            const identity = (r as { identity?: string }).identity ?? `${r.notification}|${r.sha256}`;
            await client.query(
              `INSERT INTO dingcast_deliveries (scope, day, identity, recipient, run, key, fence) SELECT $1, $2, $3, x, $5, $6, 0 FROM unnest($4::text[]) AS x ON CONFLICT DO NOTHING`,
              [opts.scope, r.day, identity, r.recipients, r.run, r.key],
            );
          }
          await client.query('COMMIT');
          return { added, existing: rows.length - added };
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }).catch((e: unknown) => {
        throw e instanceof StateError ? e : fail('cannot import into the state database', e, 'Nothing was imported (it is one transaction); run it again.');
      }),

    compact: (keep: (records: LedgerRecord[]) => boolean[]) =>
      serial(async () => {
        const all = await client.query<{ id: string; record: LedgerRecord }>(`SELECT id, record FROM dingcast_ledger WHERE scope = $1 ORDER BY seq`, [opts.scope]);
        const mask = keep(all.rows.map((r) => r.record));
        const drop = all.rows.filter((_, i) => !mask[i]).map((r) => r.id);
        if (drop.length === 0) return { kept: all.rows.length, removed: 0 };
        await client.query('BEGIN');
        try {
          if (lease) {
            const ok = await client.query(`SELECT 1 FROM dingcast_lease WHERE scope = $1 AND token = $2 AND expires_at > now() FOR SHARE`, [opts.scope, lease.token]);
            if (ok.rowCount === 0) throw lostLease(lease);
          }
          await client.query(`DELETE FROM dingcast_ledger WHERE scope = $1 AND id = ANY($2::text[])`, [opts.scope, drop]);
          await client.query(`DELETE FROM dingcast_deliveries d WHERE scope = $1 AND NOT EXISTS (SELECT 1 FROM dingcast_ledger l WHERE l.scope = d.scope AND l.key = d.key AND l.type = 'intent')`, [opts.scope]);
          await client.query('COMMIT');
          return { kept: all.rows.length - drop.length, removed: drop.length };
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
      }).catch((e: unknown) => {
        throw e instanceof StateError ? e : fail('cannot compact the state database', e, 'Nothing was removed (it is one transaction).');
      }),
  };

  function leaseHolder(l: { run: string; holder: string; expires_at: Date; expired: boolean }): LockHolder {
    return { run: l.run, holder: l.holder, expiresAt: l.expires_at.toISOString(), stale: l.expired, why: l.expired ? 'the lease has expired; the next run takes it over' : 'the lease is live until it expires (its holder renews it while it runs)' };
  }

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

  /**
   * One statement for the whole batch, so one round trip and one commit: the lease check (FOR SHARE: a takeover
   * waits for it), the records in order, and each intent's claims. Without the lease nothing is written.
   */
  async function writeBatch(): Promise<void> {
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    const held = lease;
    try {
      if (held?.lost) throw held.lost;
      const rows = batch.map((b) => b.row);
      const col = <K extends keyof Pending['row']>(k: K) => rows.map((x) => x[k]);
      // A recipient claimed twice in one batch (same day and identity) goes to the first intent only, as across batches.
      const claims: { day: string; identity: string; recipient: string; run: string; key: string }[] = [];
      const first = new Set<string>();
      for (const b of batch) {
        for (const recipient of b.claims?.recipients ?? []) {
          const c = b.claims as NonNullable<Pending['claims']>;
          const k = `${c.day}\0${c.identity}\0${recipient}`;
          if (first.has(k)) continue;
          first.add(k);
          claims.push({ day: c.day, identity: c.identity, recipient, run: b.row.run, key: c.key });
        }
      }
      const cc = <K extends keyof (typeof claims)[number]>(k: K) => claims.map((x) => x[k]);
      const res = await client.query<{ leased: number; claimed: [string, string, string, string][] }>(
        `WITH lease AS (${held ? `SELECT 1 FROM dingcast_lease WHERE scope = $1 AND token = $2 AND expires_at > now() FOR SHARE` : 'SELECT 1'}),
         ins AS (INSERT INTO dingcast_ledger (scope, id, type, day, key, notification, run, record)
                 SELECT $1, t.id, t.type, t.day, t.key, t.notification, t.run, t.record::jsonb
                 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY AS t(id, type, day, key, notification, run, record, n), lease
                 ORDER BY t.n ON CONFLICT (scope, id) DO NOTHING RETURNING 1),
         claim AS (INSERT INTO dingcast_deliveries AS d (scope, day, identity, recipient, run, key, fence)
                 SELECT $1, c.day, c.identity, c.recipient, c.run, c.key, $2 FROM unnest($10::text[], $11::text[], $12::text[], $13::text[], $14::text[]) AS c(day, identity, recipient, run, key), lease
                 ON CONFLICT (scope, day, identity, recipient) DO UPDATE SET run = EXCLUDED.run, key = EXCLUDED.key, fence = EXCLUDED.fence, claimed_at = now()
                 WHERE d.fence < EXCLUDED.fence RETURNING day, identity, recipient, key)
         SELECT (SELECT count(*) FROM lease)::int AS leased, coalesce((SELECT json_agg(json_build_array(day, identity, recipient, key)) FROM claim), '[]'::json) AS claimed`,
        [opts.scope, held?.token ?? '0', col('id'), col('type'), col('day'), col('key'), col('notification'), col('run'), col('record'), cc('day'), cc('identity'), cc('recipient'), cc('run'), cc('key')],
      );
      const row = res.rows[0];
      if (held && row?.leased !== 1) throw lostLease(held);
      const mine = new Set((row?.claimed ?? []).map(([d, i, r, k]) => `${d}\0${i}\0${r}\0${k}`));
      for (const b of batch) {
        const c = b.claims;
        b.done(c ? { claimed: c.recipients.filter((x) => mine.has(`${c.day}\0${c.identity}\0${x}\0${c.key}`)) } : {});
      }
    } catch (e) {
      const error = e instanceof StateError ? e : fail('the state database did not record the entry', e, 'The call it announced was not made; the run stops.');
      for (const b of batch) b.fail(error);
    }
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
