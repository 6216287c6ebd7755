import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Store } from '../connection/store.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Any fixed number: serialises concurrent start-ups against one PostgreSQL server. */
const MIGRATION_LOCK = 7_400_111;

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
}

export async function listMigrations(): Promise<MigrationFile[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (f) => ({
      version: Number(f.slice(0, 3)),
      name: f,
      sql: await readFile(MIGRATIONS_DIR + f, 'utf8'),
    })),
  );
}

/** Applies the numbered SQL migrations not yet applied, each in its own transaction. Returns the names applied. */
export async function migrate(store: Store): Promise<string[]> {
  const applied: string[] = [];
  const migrations = await listMigrations();
  await store.exclusive(async (conn) => {
    await conn.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await conn.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Set(
      (await conn.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await conn.exec(m.sql);
      await conn.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.name);
    }
  });
  return applied;
}
