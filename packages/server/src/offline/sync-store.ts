import type { SqlConn, Store } from '@marsad/db';

/** The SQL of the offline sync (migration 033): the first answer to each change, per user and key. */

export type SyncOutcome = 'accepted' | 'conflict' | 'refused';

export interface KeptChange {
  kind: string;
  digest: string;
  outcome: SyncOutcome;
  result: unknown;
}

/** The answer kept for a key, if the change was answered before. */
export async function keptChange(store: Store, userId: number, key: string): Promise<KeptChange | undefined> {
  return store.db
    .selectFrom('offline_sync_changes')
    .select(['kind', 'digest', 'outcome', 'result'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst() as Promise<KeptChange | undefined>;
}

/**
 * Keeps the answer to a change, in the caller's transaction; false when the key was answered meanwhile (a retry that
 * raced the first request): the caller then rolls back and answers what was kept.
 */
export async function keepChange(conn: SqlConn, userId: number, key: string, change: KeptChange): Promise<boolean> {
  const r = await conn.query(
    `INSERT INTO offline_sync_changes (user_id, key, kind, digest, outcome, result) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
     ON CONFLICT (user_id, key) DO NOTHING`,
    [userId, key, change.kind, change.digest, change.outcome, JSON.stringify(change.result)],
  );
  return r.affected > 0;
}
