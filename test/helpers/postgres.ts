import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The throwaway cluster of test/pgSetup.ts, or '' (the caller skips with a visible message). */
export const pgUrl = inject('pgUrl');
if (!pgUrl) console.warn('skipped: PostgreSQL state tests (no server binaries; install Debian\'s postgresql)');

/** A fresh database for one test file (or one test): its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}
