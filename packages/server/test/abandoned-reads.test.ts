/**
 * A read whose client has gone is stopped (http/public-cache.ts, registerAbandonedReads; packages/db's
 * withQuerySignal): its statement running on a PostgreSQL server is cancelled, so that abandoned requests do not hold
 * the pool's connections and queue the reads after them. PGlite runs one statement at a time in the process: nothing
 * to cancel there, the request still gets its answer.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testStoreKinds } from '@marsad/db/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers.ts';

/** Names the test's statement in pg_stat_activity. */
const MARK = 'marsad_abandoned_read_test';

describe.each(testStoreKinds())('a read whose client has gone, on %s', (kind) => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await createTestApp(kind, { catalogue: false });
    // A read as slow as a heavy one: 20 s unless cancelled.
    t.app.get('/api/v1/test-slow-read', async () => {
      const seconds = kind === 'postgres' ? 20 : 0.2;
      await sql`SELECT pg_sleep(${seconds}) AS marsad_abandoned_read_test`.execute(t.db.store.db);
      return { done: true };
    });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The statements of this test running on the server now. */
  const running = async () =>
    (
      await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE query LIKE ${`%${MARK}%`} AND query NOT LIKE '%pg_stat_activity%' AND state = 'active'`.execute(
        t.db.store.db,
      )
    ).rows[0]?.n ?? 0;

  it.skipIf(kind !== 'postgres')('cancels the statement of a GET whose client closed the connection', async () => {
    const req = request({ host: '127.0.0.1', port, path: '/api/v1/test-slow-read' });
    req.on('error', () => undefined);
    req.end();
    for (let i = 0; i < 100 && (await running()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await running()).toBe(1);
    const started = Date.now();
    req.destroy();
    for (let i = 0; i < 150 && (await running()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await running()).toBe(0);
    expect(Date.now() - started).toBeLessThan(3000);
    // The pool is whole: reads go on.
    const again = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(again.statusCode).toBe(200);
  });

  it('answers a GET whose client waits, as before', async () => {
    if (kind === 'postgres') {
      const quick = await sql<{ x: number }>`SELECT 1 AS x`.execute(t.db.store.db);
      expect(quick.rows[0]?.x).toBe(1);
      return;
    }
    const r = await t.app.inject({ method: 'GET', url: '/api/v1/test-slow-read' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ done: true });
  });
});
