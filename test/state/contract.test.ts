import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/io/state/file.js';
import { postgresStore } from '../../src/io/state/postgres.js';
import type { StateStore } from '../../src/io/state/types.js';
import { freshDatabase, pgUrl, query } from '../helpers/postgres.js';

const work = mkdtempSync(join(tmpdir(), 'dingcast-contract-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let n = 0;

const intent = (run: string, key: string, day: string, recipients: string[]) => ({ type: 'intent' as const, run, key, notification: 'note', sha256: 'abc', day, recipients });

interface Backend {
  name: string;
  skip: boolean;
  /** Two handles on one state, as two runners would have. */
  open(): Promise<{ a: StateStore; b: StateStore; takeOver: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'files',
    skip: false,
    async open() {
      const dir = join(work, `p${++n}`);
      const { writeFileSync } = await import('node:fs');
      return {
        a: fileStore(dir, 'https://example.test'),
        b: fileStore(dir, 'https://example.test'),
        takeOver: () => Promise.resolve(writeFileSync(join(dir, '.dingcast', 'lock'), '{"v":2,"pid":1,"run":"other","token":"z"}')),
      };
    },
  },
  {
    name: 'PostgreSQL',
    skip: !pgUrl,
    async open() {
      const url = await freshDatabase();
      const env = { DINGCAST_LEASE_TTL: '60' };
      return {
        a: await postgresStore({ url, scope: 's1', env }),
        b: await postgresStore({ url, scope: 's1', env }),
        takeOver: async () => void (await query(url, `UPDATE dingcast_lease SET expires_at = now() - interval '1 second'`)),
      };
    },
  },
];

describe.each(backends)('the state contract: $name', (backend) => {
  it.skipIf(backend.skip)('appends are read back in order; an intent claims its recipients; a day read keeps that day and the last slots', async () => {
    const { a, b } = await backend.open();
    await a.lock('r1', 0);
    expect(await a.append(intent('r1', 'k1', '2026-11-25', ['user:old']))).toEqual({ claimed: ['user:old'] });
    await a.append({ type: 'sent', run: 'r1', key: 'k1', task_id: 1 });
    await a.append({ type: 'slot', run: 'r1', notification: 'note', slot: '2026-11-25T09:00:00+08:00' });
    expect(await a.append(intent('r1', 'k2', '2026-11-26', ['user:zhangsan', 'user:lisi']))).toEqual({ claimed: ['user:zhangsan', 'user:lisi'] });
    await a.append({ type: 'sent', run: 'r1', key: 'k2', task_id: 2 });
    await a.close();
    const all = await b.read();
    expect(all.records.map((r) => r.type)).toEqual(['intent', 'sent', 'slot', 'intent', 'sent']);
    const today = await b.read({ day: '2026-11-26' });
    const keys = today.records.map((r) => `${r.type}:${'key' in r ? r.key : 'notification' in r ? r.notification : r.run}`);
    expect(keys).toEqual(expect.arrayContaining(['intent:k2', 'sent:k2', 'slot:note']));
    if (backend.name === 'PostgreSQL') expect(keys).not.toContain('intent:k1');
    await b.close();
  });

  it.skipIf(backend.skip)('one lock holder at a time; a released lock is free again; release twice is harmless', async () => {
    const { a, b } = await backend.open();
    const la = await a.lock('r1', 0);
    await expect(b.lock('r2', 0)).rejects.toThrow(/another dingcast run \(r1/);
    await la.release();
    await la.release();
    const lb = await b.lock('r2', 0);
    await lb.release();
    await a.close();
    await b.close();
  });

  it.skipIf(backend.skip)('a holder whose lock was taken over is fenced: its next append throws', async () => {
    const { a, b, takeOver } = await backend.open();
    await a.lock('r1', 0);
    await a.append(intent('r1', 'k1', '2026-11-26', ['user:zhangsan']));
    await takeOver();
    await expect(a.append({ type: 'sent', run: 'r1', key: 'k1', task_id: 1 })).rejects.toThrow(/took over|taken over/);
    await a.close();
    expect((await b.read()).records.map((r) => r.type)).toEqual(['intent']);
    await b.close();
  });
});

describe.skipIf(!pgUrl)('PostgreSQL specifics', () => {
  it('a database written by a newer dingcast is refused', async () => {
    const url = await freshDatabase();
    await (await postgresStore({ url, scope: 's' })).close();
    await query(url, `UPDATE dingcast_meta SET value = '99' WHERE key = 'schema_version'`);
    await expect(postgresStore({ url, scope: 's' })).rejects.toThrow(/written by a newer dingcast \(schema version 99/);
  });

  it('two runners can never both claim a recipient under the same lease; a newer lease re-claims what an older left', async () => {
    const url = await freshDatabase();
    const a = await postgresStore({ url, scope: 's' });
    await a.lock('r1', 0);
    expect((await a.append(intent('r1', 'k1', '2026-11-26', ['user:zhangsan', 'user:lisi']))).claimed).toEqual(['user:zhangsan', 'user:lisi']);
    expect((await a.append(intent('r1', 'k1b', '2026-11-26', ['user:lisi', 'user:wangwu']))).claimed).toEqual(['user:wangwu']);
    await a.close();
    const b = await postgresStore({ url, scope: 's' });
    await b.lock('r2', 0);
    expect((await b.append(intent('r2', 'k1', '2026-11-26', ['user:zhangsan']))).claimed).toEqual(['user:zhangsan']);
    await b.close();
    expect(await query(url, `SELECT recipient, run FROM dingcast_deliveries ORDER BY recipient`)).toEqual([
      { recipient: 'user:lisi', run: 'r1' },
      { recipient: 'user:wangwu', run: 'r1' },
      { recipient: 'user:zhangsan', run: 'r2' },
    ]);
  });

  it('an unreachable database is a clear error without the password', async () => {
    const err = await postgresStore({ url: 'postgres://dingcast:s3cret-pw@127.0.0.1:1/x', scope: 's' }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/cannot reach the state database \(postgres:\/\/dingcast@127\.0\.0\.1:1\/x/);
    expect(JSON.stringify(err) + String(err?.message) + String((err as { hint?: string }).hint)).not.toContain('s3cret-pw');
  });
});
