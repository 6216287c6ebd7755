import type { Store } from '@marsad/db';

/**
 * Marks the import batches whose process ended while they ran (killed, crashed, the machine stopped) as failed, with
 * the reason 'interrupted', and returns their ids. Their rows were never written (an import is one transaction);
 * only their record still said "running". finished_at stays empty: when the process stopped is not known.
 *
 * Telling a dead import from a live one: every import locks its batch row (FOR NO KEY UPDATE) with the first statement
 * of its transaction and holds the lock to its COMMIT or ROLLBACK (runImport), and PostgreSQL releases the locks of a
 * connection whose process is gone. So a "running" batch whose row is not locked belongs to no live process — also
 * when several servers share one database — and SKIP LOCKED passes over the live ones without waiting for them. The
 * batch row itself is inserted and committed just before that transaction (so that it is seen while the import
 * runs); a start-up falling in between marks it interrupted, and the import, finding its batch no longer "running"
 * once it holds the lock, stops with an error instead of committing under a record that says otherwise. A batch whose
 * process died in the middle of a long statement keeps its lock until PostgreSQL ends that statement and finds the
 * client gone; a start-up before then leaves it "running", for the next start-up to mark. On PGlite one process
 * opens the database, and this runs before it serves: every batch still "running" is interrupted.
 */
export async function failInterruptedImports(store: Store): Promise<number[]> {
  const r = await store.exclusive((conn) =>
    conn.query<{ id: number }>(
      `UPDATE import_batches SET state = 'failed', failure_reason = 'interrupted'
       WHERE id IN (SELECT id FROM import_batches WHERE state = 'running' FOR NO KEY UPDATE SKIP LOCKED)
       RETURNING id`,
    ),
  );
  return r.rows.map((row) => row.id).sort((a, b) => a - b);
}
