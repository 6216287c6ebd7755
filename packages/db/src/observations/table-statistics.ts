import { sql } from 'kysely';
import type { Store } from '../connection/store.ts';

/** Rows changed since the observations were last analysed, per store (this process's writes). */
const pending = new WeakMap<Store, number>();

/**
 * Keeps the planner's statistics of `observations` current after large writes, as autovacuum's analyse would
 * (50 rows and 10 % of the table), on both databases: PGlite has no autovacuum, and on a server autovacuum comes
 * later than the reads that follow an import (issue 16: at 2.25 million rows on PGlite the indicator page's data took
 * 7.0–7.6 s before a manual ANALYZE, 0.24 s after). On the embedded database it also vacuums, which only autovacuum
 * would do: dead rows of changed values are reclaimed and index-only scans stay possible. Call it after a commit,
 * with the rows inserted, changed or deleted; returns whether it analysed.
 */
export async function keepObservationStatistics(store: Store, changedRows: number): Promise<boolean> {
  const n = (pending.get(store) ?? 0) + Math.max(0, changedRows);
  pending.set(store, n);
  if (n < 50) return false;
  const estimate = await sql<{ rows: number }>`
    SELECT greatest(reltuples, 0)::float8 AS rows FROM pg_class WHERE oid = 'observations'::regclass`.execute(store.db);
  const rows = Number(estimate.rows[0]?.rows ?? 0);
  if (n < 50 + 0.1 * rows) return false;
  pending.set(store, 0);
  // VACUUM cannot run inside a transaction (a repository imported all or nothing): ANALYZE alone there.
  if (store.kind === 'pglite' && !store.inTransaction) await sql`VACUUM (ANALYZE) observations`.execute(store.db);
  else await sql`ANALYZE observations`.execute(store.db);
  return true;
}
