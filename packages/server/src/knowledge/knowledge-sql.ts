import type { Schema, SqlConn } from '@marsad/db';
import { CompiledQuery, type Kysely } from 'kysely';

/**
 * One way to run parameterised SQL, inside a transaction (`SqlConn` of `store.exclusive`) or
 * outside (Kysely): the knowledge repository's reads and writes are written once for both.
 * Dates come back as text (select them with to_char) so that the PGlite and pg drivers agree.
 */
export type Run = <R>(text: string, params?: readonly unknown[]) => Promise<R[]>;

export function runOn(conn: SqlConn): Run {
  return async <R>(text: string, params: readonly unknown[] = []) => (await conn.query<R>(text, params)).rows;
}

export function runWith(db: Kysely<Schema>): Run {
  return async <R>(text: string, params: readonly unknown[] = []) =>
    (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows;
}

/** `date` as YYYY-MM-DD text. */
export const D = (column: string) => `to_char(${column}, 'YYYY-MM-DD')`;
/** `timestamptz` as an ISO instant (UTC). */
export const TS = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
