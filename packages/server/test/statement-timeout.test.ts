/**
 * On a PostgreSQL server, a statement outside a transaction runs at most MARSAD_STATEMENT_TIMEOUT_S (issue 16): a
 * read that runs past it is cancelled by the server, freeing its pooled connection, and the request gets a 503 that
 * says so, not a 500; imports and backups (transactions of `exclusive`) have no such limit.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openPostgresStore, type Store } from '@marsad/db';
import { createTestDatabase, type TestDatabase, testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/index.ts';

const kinds = testStoreKinds().filter((k) => k === 'postgres');
if (kinds.length === 0)
  it.skip('needs a PostgreSQL server (DATABASE_URL): PGlite cannot cancel a statement', () => undefined);

describe.each(kinds)('the statement timeout on %s', (kind) => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = await createTestDatabase(kind);
    store = await openPostgresStore(db.url!, { statementTimeoutS: 0.3 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  it('cancels a long read with a 503 naming why, and lets transactions run as long as they need', async () => {
    await expect(sql`SELECT pg_sleep(2)`.execute(store.db)).rejects.toMatchObject({ code: '57014' });
    // The connection is free again at once.
    expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(store.db)).rows).toEqual([{ one: 1 }]);
    await store.exclusive((conn) => conn.query('SELECT pg_sleep(0.6)'));

    const app = await buildApp({
      store,
      dataDir: await mkdtemp(path.join(os.tmpdir(), 'marsad-timeout-')),
      adminToken: 'x',
      version: 'test',
    });
    app.get('/api/v1/test-slow-read', async () => (await sql`SELECT pg_sleep(2)`.execute(store.db)).rows);
    try {
      const r = await app.inject({ url: '/api/v1/test-slow-read' });
      expect(r.statusCode).toBe(503);
      expect(r.headers['retry-after']).toBe('10');
      expect(r.json()).toMatchObject({ error: 'timeout', message: expect.stringMatching(/took too long/) });
    } finally {
      await app.close();
    }
  });
});
