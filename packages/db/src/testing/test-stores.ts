import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPGliteStore } from '../connection/pglite-store.ts';
import { openPostgresStore } from '../connection/postgres-store.ts';
import type { Store, StoreKind } from '../connection/store.ts';
import { migrate } from '../migrations/migrate.ts';

/** The databases the suite runs on: PGlite always, the PostgreSQL server when DATABASE_URL is set. */
export function testStoreKinds(): StoreKind[] {
  // CI's second run sets MARSAD_TEST_SERVER_ONLY=1: its first run covered PGlite already.
  if (process.env.DATABASE_URL && process.env.MARSAD_TEST_SERVER_ONLY === '1') return ['postgres'];
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase {
  kind: StoreKind;
  /** For postgres: the URL of the database created for this test file. */
  url?: string;
  store: Store;
  /** Closes the store and drops the database it created. */
  drop(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = '/' + name;
  return u.toString();
}

/** A fresh, empty database of the given kind: PGlite in memory, or a new database on the server. */
export async function createEmptyDatabase(kind: StoreKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const store = await openPGliteStore();
    return { kind, store, drop: () => store.close() };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  const name = `marsad_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const store = await openPostgresStore(url);
  return {
    kind,
    url,
    store,
    async drop() {
      await store.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh database with the schema applied. */
export async function createTestDatabase(kind: StoreKind): Promise<TestDatabase> {
  const t = await createEmptyDatabase(kind);
  await migrate(t.store);
  return t;
}
