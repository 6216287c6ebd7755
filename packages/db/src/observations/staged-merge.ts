import type { SqlConn } from '../connection/store.ts';

/**
 * The load path of observations. Rows, already resolved to ids by the import pipeline, are
 * copied into a temporary staging table, checked for keys given twice, then merged:
 * - when no observation of the staged series exists yet, one plain INSERT … SELECT;
 * - otherwise changed rows are first copied to observation_history, then updated, and new
 *   rows inserted. Unchanged rows are left alone, so re-importing a file changes nothing.
 * All of it runs inside the caller's transaction: an error anywhere writes nothing.
 */

export const STAGE_COLUMNS = [
  'series_id',
  'place_id',
  'period',
  'disagg_id',
  'indicator_id',
  'period_start',
  'period_end',
  'value',
  'unit',
  'status',
  'source_id',
  'note',
  'row_at',
] as const;

export interface StagedRow {
  seriesId: number;
  placeId: number;
  period: string;
  disaggId: number;
  indicatorId: number;
  periodStart: string;
  periodEnd: string;
  value: number;
  unit: string | null;
  status: string;
  sourceId: number | null;
  note: string | null;
  /** Where the row came from (line number or JSON path), for duplicate-key messages. */
  at: string;
}

export async function createStage(conn: SqlConn): Promise<void> {
  await conn.exec(`DROP TABLE IF EXISTS import_stage;
    CREATE TEMP TABLE import_stage (
      series_id integer NOT NULL, place_id integer NOT NULL, period text NOT NULL, disagg_id integer NOT NULL,
      indicator_id integer NOT NULL, period_start date NOT NULL, period_end date NOT NULL,
      value double precision NOT NULL, unit text, status text NOT NULL, source_id integer, note text, row_at text NOT NULL
    ) ON COMMIT DROP`);
}

export function copyStageSql(): string {
  return `COPY import_stage (${STAGE_COLUMNS.join(', ')}) FROM STDIN`;
}

/** COPY straight into observations (an empty table): the last column is the batch. */
export function copyDirectSql(): string {
  return `COPY observations (series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, unit, status, source_id, note, batch_id) FROM STDIN`;
}

export interface DuplicateKey {
  first: string;
  second: string;
  period: string;
}

/**
 * Keys that appear more than once in the staged rows (at most `limit`). Most imports have none, which a unique index
 * on the staged keys proves fastest (a sort; the aggregate below hashes every key, spilling to disk: about twice as
 * long for 2 million rows). Only when that index finds a key given twice, in a savepoint rolled back, does the
 * aggregate list them.
 */
export async function findDuplicateKeys(conn: SqlConn, limit: number): Promise<DuplicateKey[]> {
  await conn.exec('SAVEPOINT import_stage_keys');
  try {
    await conn.exec('CREATE UNIQUE INDEX import_stage_unique ON import_stage (series_id, place_id, period, disagg_id)');
    await conn.exec('RELEASE SAVEPOINT import_stage_keys');
    return [];
  } catch (err) {
    if ((err as { code?: string }).code !== '23505') throw err;
    await conn.exec('ROLLBACK TO SAVEPOINT import_stage_keys; RELEASE SAVEPOINT import_stage_keys');
  }
  const r = await conn.query<{ first: string; second: string; period: string }>(
    // row_at is text (a line, or a path in a JSON file): ordered by length first, so that line 9 comes before 10.
    `SELECT (array_agg(row_at ORDER BY length(row_at), row_at))[1] AS first,
            (array_agg(row_at ORDER BY length(row_at), row_at))[2] AS second, period
       FROM import_stage GROUP BY series_id, place_id, period, disagg_id HAVING count(*) > 1 LIMIT $1`,
    [limit],
  );
  return r.rows;
}

export interface MergeCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

const KEY_MATCH =
  'o.series_id = s.series_id AND o.place_id = s.place_id AND o.period = s.period AND o.disagg_id = s.disagg_id';
const CHANGED =
  '(o.value, o.unit, o.status, o.source_id, o.note, o.period_start, o.period_end) IS DISTINCT FROM ' +
  '(s.value, s.unit, s.status, s.source_id, s.note, s.period_start, s.period_end)';

/** Counts what a merge would do, without doing it (dry runs). */
export async function previewMerge(conn: SqlConn, staged: number): Promise<MergeCounts> {
  const r = await conn.query<{ existing: number; changed: number }>(
    `SELECT count(*)::int AS existing, count(*) FILTER (WHERE ${CHANGED})::int AS changed
       FROM import_stage s JOIN observations o ON ${KEY_MATCH}`,
  );
  const existing = r.rows[0]?.existing ?? 0;
  const changed = r.rows[0]?.changed ?? 0;
  return { inserted: staged - existing, updated: changed, unchanged: existing - changed };
}

export async function mergeStage(conn: SqlConn, staged: number, batchId: number): Promise<MergeCounts> {
  // One probe of the key per staged series (a LIMIT 1 over the table in no order can be a scan of every row).
  const overlap = await conn.query(
    `SELECT 1 FROM (SELECT DISTINCT series_id FROM import_stage) s
      WHERE (SELECT true FROM observations o WHERE o.series_id = s.series_id ORDER BY o.series_id, o.place_id LIMIT 1)
      LIMIT 1`,
  );
  const insertColumns =
    'series_id, place_id, period, disagg_id, indicator_id, period_start, period_end, value, unit, status, source_id, note, batch_id';
  const selectColumns =
    's.series_id, s.place_id, s.period, s.disagg_id, s.indicator_id, s.period_start, s.period_end, s.value, s.unit, s.status, s.source_id, s.note, $1::integer';
  if (overlap.rows.length === 0) {
    const r = await conn.query(
      `INSERT INTO observations (${insertColumns}) SELECT ${selectColumns} FROM import_stage s`,
      [batchId],
    );
    return { inserted: r.affected, updated: 0, unchanged: staged - r.affected };
  }
  await conn.query(
    `INSERT INTO observation_history (series_id, place_id, period, disagg_id, version, value, unit, status, source_id, note,
        batch_id, valid_from, valid_to, replaced_by_batch, change)
     SELECT o.series_id, o.place_id, o.period, o.disagg_id, o.version, o.value, o.unit, o.status, o.source_id, o.note,
        o.batch_id, o.updated_at, now(), $1::integer, 'update'
       FROM import_stage s JOIN observations o ON ${KEY_MATCH} WHERE ${CHANGED}`,
    [batchId],
  );
  const updated = await conn.query(
    `UPDATE observations o SET value = s.value, unit = s.unit, status = s.status, source_id = s.source_id, note = s.note,
        period_start = s.period_start, period_end = s.period_end, batch_id = $1::integer, version = o.version + 1, updated_at = now()
       FROM import_stage s WHERE ${KEY_MATCH} AND ${CHANGED}`,
    [batchId],
  );
  const inserted = await conn.query(
    `INSERT INTO observations (${insertColumns}) SELECT ${selectColumns} FROM import_stage s
      WHERE NOT EXISTS (SELECT 1 FROM observations o WHERE ${KEY_MATCH})`,
    [batchId],
  );
  return {
    inserted: inserted.affected,
    updated: updated.affected,
    unchanged: staged - inserted.affected - updated.affected,
  };
}
