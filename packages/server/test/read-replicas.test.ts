import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrate, openPostgresStore, parseReadUrls, type Store } from '@marsad/db';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/index.ts';
import { AUTH, signedIn, type TestApp, TOKEN } from './helpers.ts';
import { missingReplicaTools, type ReplicaCluster, startReplicaCluster } from './replica-cluster.ts';

// Issue 17, docs/decisions/0008-read-replicas.md: public reads from a real streaming replica made here.

describe('DATABASE_READ_URL', () => {
  it('takes postgres:// addresses separated by commas, and names a wrong one without echoing it', () => {
    expect(parseReadUrls(undefined)).toEqual([]);
    expect(parseReadUrls(' postgres://a@r1:5433/m , postgresql://b:secret@r2/m ')).toEqual([
      'postgres://a@r1:5433/m',
      'postgresql://b:secret@r2/m',
    ]);
    expect(() => parseReadUrls('postgres://r1/m,mysql://u:hunter2@r2/m')).toThrow(
      /entry 2 of DATABASE_READ_URL must start with postgres:\/\/ or postgresql:\/\//,
    );
    expect(() => parseReadUrls('replica-1')).toThrow(/DATABASE_READ_URL is not an address/);
    expect(() => parseReadUrls('postgres://r1/m,')).toThrow(/entry 2 of DATABASE_READ_URL is not an address/);
    try {
      parseReadUrls('mysql://u:hunter2@r2/m');
    } catch (err) {
      expect(String(err)).not.toContain('hunter2');
    }
  });
});

const missing = missingReplicaTools();
// CI (.ci/run sets MARSAD_REQUIRE_BROWSER=1) must run this: missing programs are a failure there, not a skip.
const required = process.env.MARSAD_REQUIRE_BROWSER === '1';
if (missing.length && !required)
  console.warn(
    `read-replicas.test.ts skipped: ${missing.join(', ')} not found (Debian's postgresql-15; MARSAD_PG_BIN names another folder)`,
  );

/** Polls `check` until it holds, for at most `ms` (no fixed sleeps). */
async function until(check: () => Promise<boolean>, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function sql<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R>(text)).rows;
  } finally {
    await c.end();
  }
}

describe.skipIf(missing.length > 0 && !required)('public reads from a streaming replica', () => {
  let cluster: ReplicaCluster | undefined;
  let store: Store;
  let app: FastifyInstance;
  let dataDir: string;
  let writer: Record<string, string>;
  const logs: string[] = [];
  /** Each anonymous read its own language, so it is computed, not answered from the cache. */
  let reads = 0;
  const anonymousName = async () => {
    const r = await app.inject({
      method: 'GET',
      url: '/api/v1/indicators/R17',
      headers: { 'accept-language': `en-x-${++reads}` },
    });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().names.en as string;
  };
  /** The address a public reader asks again and again (kept by the cache between changes). */
  const keptName = async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/indicators/R17' });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().names.en as string;
  };
  const writerName = async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/indicators/R17', headers: writer });
    expect(r.statusCode, r.body).toBe(200);
    return r.json().names.en as string;
  };
  const replicaCaughtUp = async () => {
    if (!cluster) return false;
    const [p] = await sql<{ lsn: string }>(cluster.primaryUrl, 'SELECT pg_current_wal_insert_lsn()::text AS lsn');
    const [r] = await sql<{ ok: boolean }>(
      cluster.replicaUrl,
      `SELECT pg_last_wal_replay_lsn() >= '${p?.lsn}'::pg_lsn AS ok`,
    );
    return r?.ok === true;
  };

  beforeAll(async () => {
    if (missing.length) throw new Error(`read-replicas.test.ts needs ${missing.join(', ')} (MARSAD_REQUIRE_BROWSER=1)`);
    cluster = await startReplicaCluster();
    const setup = await openPostgresStore(cluster.primaryUrl);
    await migrate(setup);
    await setup.close();
    store = await openPostgresStore(cluster.primaryUrl, { readUrls: [cluster.replicaUrl] });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'marsad-test-'));
    app = await buildApp(
      { store, dataDir, adminToken: TOKEN, version: 'test' },
      { logger: { level: 'warn', stream: { write: (line: string) => logs.push(line) } } },
    );
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/indicators',
      headers: AUTH,
      payload: { code: 'R17', names: { en: 'First name' } },
    });
    expect(created.statusCode, created.body).toBe(201);
    writer = await signedIn({ app } as TestApp, 'writer@example.org', [{ role: 'administrator' }]);
    await until(replicaCaughtUp, 10_000, 'the replica to replay the set-up');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await cluster?.close();
  });

  it('reads anonymously from the replica, and with credentials from the primary', async () => {
    if (!cluster) throw new Error('no cluster');
    await until(async () => (await anonymousName()) === 'First name', 5000, 'the first name');
    await sql(cluster.replicaUrl, 'SELECT pg_wal_replay_pause()');
    // A change the server is not told of (no trigger runs under session_replication_role = replica): the generation
    // stays, so its position is still replayed on the paused replica, and only the place of the read tells it apart.
    await sql(
      cluster.primaryUrl,
      `SET session_replication_role = replica;
       UPDATE indicators SET names = jsonb_set(names, '{en}', '"Only on the primary"') WHERE code = 'R17'`,
    );
    expect(await writerName()).toBe('Only on the primary');
    expect(await anonymousName()).toBe('First name');
    await sql(cluster.replicaUrl, 'SELECT pg_wal_replay_resume()');
    await until(async () => (await anonymousName()) === 'Only on the primary', 10_000, 'the replica to replay it');
  });

  it('while the replica lags, a writer sees its write at once, and no reader keeps the old data under the new generation', async () => {
    if (!cluster) throw new Error('no cluster');
    await until(replicaCaughtUp, 10_000, 'the replica to catch up');
    expect(await keptName()).toBe('Only on the primary');
    await sql(cluster.replicaUrl, 'SELECT pg_wal_replay_pause()');
    const patched = await app.inject({
      method: 'PATCH',
      url: '/api/v1/indicators/R17',
      headers: writer,
      payload: { names: { en: 'Second name' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await writerName()).toBe('Second name');
    // The replica has not replayed the write: the reads that the new generation's answer is computed by go to the
    // primary, so the address kept before shows the write at once, and keeps showing it.
    for (let i = 0; i < 5; i++) {
      expect(await keptName()).toBe('Second name');
      expect(await anonymousName()).toBe('Second name');
    }
    const [paused] = await sql<{ name: string }>(
      cluster.replicaUrl,
      `SELECT names->>'en' AS name FROM indicators WHERE code = 'R17'`,
    );
    expect(paused?.name).toBe('Only on the primary');
    await sql(cluster.replicaUrl, 'SELECT pg_wal_replay_resume()');
    await until(replicaCaughtUp, 10_000, 'the replica to catch up');
    // Caught up, computed reads are the replica's again: the same data.
    expect(await anonymousName()).toBe('Second name');
    expect(await keptName()).toBe('Second name');
  });

  it('a stopped replica sends the reads to the primary, logged, never a 500', async () => {
    if (!cluster) throw new Error('no cluster');
    await cluster.stopReplica();
    for (let i = 0; i < 3; i++) expect(await anonymousName()).toBe('Second name');
    const patched = await app.inject({
      method: 'PATCH',
      url: '/api/v1/indicators/R17',
      headers: writer,
      payload: { names: { en: 'Third name' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await keptName()).toBe('Third name');
    expect(await anonymousName()).toBe('Third name');
    expect(logs.some((l) => l.includes('read replica failed'))).toBe(true);
  });
});
