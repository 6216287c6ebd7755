import type { ObservationStatus } from '@marsad/core';
import type { Schema } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { approvedOnly } from './web-api-common.ts';

/** A pair of indicator and place with values the reader may see. */
export interface ReportedPair {
  indicatorId: number;
  placeId: number;
  /** Values the reader may see. */
  n: number;
  /** Of which approved. */
  approved: number;
}

/**
 * The places with values of these indicators and statuses, from the counts kept as values are written
 * (observation_counts, migration 026): a few rows per series and place, whatever the number of values.
 */
export async function placesWithValues(
  db: Kysely<Schema>,
  indicatorIds: number[],
  statuses: ObservationStatus[],
): Promise<number[]> {
  if (!indicatorIds.length) return [];
  const rows = await sql<{ placeId: number }>`
    SELECT c.place_id AS "placeId"
      FROM observation_counts c JOIN series s ON s.id = c.series_id
     WHERE s.indicator_id = ANY(${sql.val(indicatorIds)}::int[])
       AND c.status = ANY(${sql.val(statuses)}::text[])
     GROUP BY c.place_id
    HAVING sum(c.n) > 0`.execute(db);
  return rows.rows.map((r) => r.placeId);
}

/**
 * Every pair of one of these indicators and one of these places with values of these statuses (from the same counts),
 * with how many and how many approved: the grouping both the page's cells and the summary read.
 */
function pairsSql(indicatorIds: number[], placeIds: number[], statuses: ObservationStatus[]) {
  return sql<{ indicatorId: number; placeId: number; n: string; approved: string }>`
    SELECT s.indicator_id AS "indicatorId", c.place_id AS "placeId", sum(c.n) AS n,
           coalesce(sum(c.n) FILTER (WHERE c.status = 'approved'), 0) AS approved
      FROM observation_counts c JOIN series s ON s.id = c.series_id
     WHERE s.indicator_id = ANY(${sql.val(indicatorIds)}::int[])
       AND c.place_id = ANY(${sql.val(placeIds)}::int[])
       AND c.status = ANY(${sql.val(statuses)}::text[])
     GROUP BY s.indicator_id, c.place_id
    HAVING sum(c.n) > 0`;
}

/** The pairs of these indicators and places with values (`pairsSql`), for the page's cells. */
export async function reportedPairs(
  db: Kysely<Schema>,
  indicatorIds: number[],
  placeIds: number[],
  statuses: ObservationStatus[],
): Promise<ReportedPair[]> {
  if (!indicatorIds.length || !placeIds.length) return [];
  const rows = await pairsSql(indicatorIds, placeIds, statuses).execute(db);
  return rows.rows.map((r) => ({ ...r, n: Number(r.n), approved: Number(r.approved) }));
}

/** How many pairs of these indicators and places are reported (approved values) and in progress (values, none approved). */
export async function pairTotals(
  db: Kysely<Schema>,
  indicatorIds: number[],
  placeIds: number[],
  statuses: ObservationStatus[],
): Promise<{ reported: number; inProgress: number }> {
  if (!indicatorIds.length || !placeIds.length) return { reported: 0, inProgress: 0 };
  const r = await sql<{ reported: number; inProgress: number }>`
    SELECT (count(*) FILTER (WHERE approved > 0))::int AS reported,
           (count(*) FILTER (WHERE approved = 0))::int AS "inProgress"
      FROM (${pairsSql(indicatorIds, placeIds, statuses)}) AS pairs`.execute(db);
  return r.rows[0] ?? { reported: 0, inProgress: 0 };
}

/**
 * The latest period of each pair of one of these indicators and one of these places, over its series and breakdowns,
 * from the latest values kept as values are written (latest_observations, migration 027).
 */
export async function latestPeriods(
  db: Kysely<Schema>,
  indicatorIds: number[],
  placeIds: number[],
  statuses: ObservationStatus[],
): Promise<{ indicatorId: number; placeId: number; latestPeriod: string; latestEnd: string }[]> {
  if (!indicatorIds.length || !placeIds.length) return [];
  const rows = await sql<{ indicatorId: number; placeId: number; latestPeriod: string; latestEnd: string }>`
    SELECT l.indicator_id AS "indicatorId", l.place_id AS "placeId",
           (array_agg(l.period ORDER BY l.period_end DESC, l.period_start ASC, l.period DESC))[1] AS "latestPeriod",
           to_char(max(l.period_end), 'YYYY-MM-DD') AS "latestEnd"
      FROM latest_observations l
     WHERE l.place_id = ANY(${sql.val(placeIds)}::int[])
       AND l.indicator_id = ANY(${sql.val(indicatorIds)}::int[])
       AND l.approved_only = ${approvedOnly(statuses)}
     GROUP BY l.indicator_id, l.place_id`.execute(db);
  return rows.rows;
}
