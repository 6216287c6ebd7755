import type { ObservationStatus } from '@marsad/core';
import { type Schema, type SuppressionReveal, unlessHidden } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { HttpError } from '../http/errors.ts';
import { approvedOnly, isoDate, suppressionLateral } from './web-api-common.ts';

type Db = Kysely<Schema>;

export interface SeriesRef {
  indicatorId: number;
  indicatorCode: string;
  seriesId: number;
  seriesCode: string;
  /** The unit of the series, else of the indicator. */
  unitCode: string | null;
}

/** The indicator by code and one of its series by code or alias (its default series if none is named); 404 otherwise. */
export async function resolveIndicatorSeries(db: Db, code: string, wanted: string | undefined): Promise<SeriesRef> {
  const ind = await db
    .selectFrom('indicators')
    .select(['id', 'code', 'unit_code'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!ind) throw new HttpError(404, 'not_found', `No indicator with code "${code}".`);
  const all = await db
    .selectFrom('series')
    .select(['id', 'code', 'aliases', 'is_default', 'unit_code'])
    .where('indicator_id', '=', ind.id)
    .orderBy('id')
    .execute();
  const series = wanted
    ? (all.find((s) => s.code === wanted) ?? all.find((s) => s.aliases.includes(wanted)))
    : await seriesToShow(db, all);
  if (!series) {
    throw new HttpError(
      404,
      'not_found',
      wanted
        ? `Indicator ${ind.code} has no series "${wanted}"; its series are ${all.map((s) => s.code).join(', ') || 'none'}.`
        : `Indicator ${ind.code} has no series.`,
    );
  }
  return {
    indicatorId: ind.id,
    indicatorCode: ind.code,
    seriesId: series.id,
    seriesCode: series.code,
    unitCode: series.unit_code ?? ind.unit_code,
  };
}

/**
 * The series shown when none is asked for: the default one if it has approved values, else the first that has
 * (an Open SDG repository's values often sit in series of their own, the indicator's default one empty); else the
 * default one if it has values of any status, else the first that has; else the default one. Each is one probe of
 * the observations' key, in the key's order so that PostgreSQL walks the key: an EXISTS, or a LIMIT 1 in no order,
 * can be planned as a scan of the whole table that stops at the first match — every row for a series without
 * values (15 to 30 s at 25 million values, issue 17).
 */
async function seriesToShow<S extends { id: number; is_default: boolean }>(db: Db, all: S[]): Promise<S | undefined> {
  const ordered = [...all].sort((a, b) => Number(b.is_default) - Number(a.is_default));
  if (ordered.length <= 1) return ordered[0];
  const r = await sql<{ id: number; approved: boolean; any: boolean }>`
    SELECT s.id,
           coalesce((SELECT true FROM observations o WHERE o.series_id = s.id AND o.status = 'approved'
                      ORDER BY o.series_id, o.place_id LIMIT 1), false) AS approved,
           coalesce((SELECT true FROM observations o WHERE o.series_id = s.id
                      ORDER BY o.series_id, o.place_id LIMIT 1), false) AS any
      FROM unnest(${sql.val(ordered.map((x) => x.id))}::int[]) AS s(id)`.execute(db);
  const has = new Map(r.rows.map((x) => [x.id, x]));
  return ordered.find((x) => has.get(x.id)?.approved) ?? ordered.find((x) => has.get(x.id)?.any) ?? ordered[0];
}

/** A breakdown of a series: how many places have values in it, and how many values (null: not counted). */
export interface Breakdown {
  disaggId: number;
  places: number;
  values: number | null;
}

/** A series' values are counted per breakdown up to this many visible values; above, only their places (issue 17). */
export const COUNTED_VALUES = 100_000;

/**
 * The breakdowns of a series with how many places have values in each, from the latest values kept as values are
 * written (latest_observations, migration 027: one row per place and breakdown), and the series' visible values in
 * all, from the counts kept likewise (observation_counts, migration 026). The values of each breakdown are counted
 * by one pass over the series when it has at most COUNTED_VALUES of them (1.3 s for 416,000 at national scale).
 */
export async function seriesBreakdowns(
  db: Db,
  seriesId: number,
  statuses: ObservationStatus[],
): Promise<{ total: number; breakdowns: Breakdown[] }> {
  const [total, places] = await Promise.all([
    sql<{ n: string | null }>`
      SELECT sum(n) AS n FROM observation_counts
       WHERE series_id = ${seriesId} AND status = ANY(${sql.val(statuses)}::text[])`.execute(db),
    db
      .selectFrom('latest_observations')
      .where('series_id', '=', seriesId)
      .where('approved_only', '=', approvedOnly(statuses))
      .groupBy('disagg_id')
      .select(['disagg_id as disaggId', sql<string>`count(*)`.as('n')])
      .execute(),
  ]);
  const n = Number(total.rows[0]?.n ?? 0);
  const values = new Map<number, number>();
  if (n <= COUNTED_VALUES) {
    const rows = await db
      .selectFrom('observations as o')
      .where('o.series_id', '=', seriesId)
      .where('o.status', 'in', statuses)
      .groupBy('o.disagg_id')
      .select(['o.disagg_id as disaggId', sql<string>`count(*)`.as('n')])
      .execute();
    for (const r of rows) values.set(r.disaggId, Number(r.n));
  }
  return {
    total: n,
    breakdowns: places.map((p) => ({
      disaggId: p.disaggId,
      places: Number(p.n),
      values: n <= COUNTED_VALUES ? (values.get(p.disaggId) ?? 0) : null,
    })),
  };
}

const statusList = (statuses: ObservationStatus[]) =>
  sql.join(
    statuses.map((x) => sql`${x}`),
    sql`, `,
  );

/** Values of a place counted up to this many when places are ordered by how many values they have. */
export const COUNT_CAP = 30;
/** Up to this many places are counted; more (a national series) are in code order (issue 17). */
export const COUNTED_PLACES = 300;

/**
 * The places with visible values of a series in a disaggregation without reading the whole series: a skip scan of
 * the primary key (series_id, place_id, …, disagg_id) finds each next place with such a value in one index probe.
 * Up to COUNTED_PLACES places, each place's values are then counted up to COUNT_CAP (most values first); a series
 * with more places (2,000 at national scale, where counting took 0.5 s) gives them with `n` null, in code order.
 */
export async function placesWithValues(
  db: Db,
  seriesId: number,
  disaggId: number,
  statuses: ObservationStatus[],
): Promise<{ placeId: number; n: number | null }[]> {
  const visible = sql`o.disagg_id = ${disaggId} AND o.status IN (${statusList(statuses)})`;
  const found = await sql<{ placeId: number }>`
    WITH RECURSIVE pl(place_id) AS (
      (SELECT o.place_id FROM observations o WHERE o.series_id = ${seriesId} AND ${visible}
        ORDER BY o.series_id, o.place_id LIMIT 1)
      UNION ALL
      SELECT (SELECT o.place_id FROM observations o
               WHERE o.series_id = ${seriesId} AND o.place_id > pl.place_id AND ${visible}
               ORDER BY o.series_id, o.place_id LIMIT 1)
        FROM pl WHERE pl.place_id IS NOT NULL
    )
    SELECT pl.place_id AS "placeId" FROM pl WHERE pl.place_id IS NOT NULL`.execute(db);
  const ids = found.rows.map((x) => x.placeId);
  if (ids.length > COUNTED_PLACES) return ids.map((placeId) => ({ placeId, n: null }));
  if (!ids.length) return [];
  const r = await sql<{ placeId: number; n: string }>`
    SELECT pl.place_id AS "placeId", c.n FROM unnest(${sql.val(ids)}::int[]) AS pl(place_id)
     CROSS JOIN LATERAL (
       SELECT count(*) AS n FROM (
         SELECT 1 FROM observations e
          WHERE e.series_id = ${seriesId} AND e.place_id = pl.place_id
            AND e.disagg_id = ${disaggId} AND e.status IN (${statusList(statuses)})
          LIMIT ${COUNT_CAP}) capped
     ) c`.execute(db);
  return r.rows.map((x) => ({ placeId: x.placeId, n: Number(x.n) }));
}

/**
 * The disaggregation a series is shown in when none is asked for: the total if it has one, else the
 * disaggregation with the most values (a pass over the series, only for series without totals).
 */
export async function defaultDisaggregation(
  db: Db,
  seriesId: number,
  statuses: ObservationStatus[],
): Promise<number | null> {
  const total = await db
    .selectFrom('observations')
    .select('disagg_id')
    .where('series_id', '=', seriesId)
    .where('disagg_id', '=', 0)
    .where('status', 'in', statuses)
    .limit(1)
    .executeTakeFirst();
  if (total) return 0;
  const most = await db
    .selectFrom('observations')
    .where('series_id', '=', seriesId)
    .where('status', 'in', statuses)
    .groupBy('disagg_id')
    .select(['disagg_id', sql<string>`count(*)`.as('n')])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('disagg_id')
    .limit(1)
    .executeTakeFirst();
  return most?.disagg_id ?? null;
}

/** How many visible values the places have in a disaggregation of a series (primary-key ranges per place). */
export async function countAt(
  db: Db,
  args: { seriesId: number; disaggId: number; placeIds: number[]; statuses: ObservationStatus[] },
): Promise<number> {
  if (!args.placeIds.length) return 0;
  const r = await db
    .selectFrom('observations')
    .where('series_id', '=', args.seriesId)
    .where('place_id', 'in', args.placeIds)
    .where('disagg_id', '=', args.disaggId)
    .where('status', 'in', args.statuses)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function disaggregationsById(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db.selectFrom('disaggregations').select(['id', 'dims']).where('id', 'in', ids).execute();
}

export async function placesById(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('places')
    .select(['id', 'code', 'names', 'level', sql<string | null>`codes ->> 'iso3166_numeric'`.as('iso3166Numeric')])
    .where('id', 'in', ids)
    .execute();
}

export async function placesByCode(db: Db, codes: string[]) {
  if (!codes.length) return [];
  return db.selectFrom('places').select(['id', 'code']).where('code', 'in', codes).execute();
}

/** The id of the disaggregation with exactly these dimension values (0 for the total), or null if none has them. */
export async function disaggregationId(db: Db, dims: Record<string, string>): Promise<number | null> {
  if (!Object.keys(dims).length) return 0;
  const row = await db
    .selectFrom('disaggregations')
    .select('id')
    .where(sql<boolean>`dims = ${JSON.stringify(dims)}::jsonb`)
    .executeTakeFirst();
  return row?.id ?? null;
}

/**
 * The values of one series and disaggregation at the given places, latest first across the places,
 * at most `limit` (one more is read to tell that there are more): a view that is cut keeps the
 * recent years of every place. Primary-key range per place, then a top-N sort.
 */
export async function seriesPoints(
  db: Db,
  args: {
    seriesId: number;
    disaggId: number;
    placeIds: number[];
    statuses: ObservationStatus[];
    reveal: SuppressionReveal;
    limit: number;
  },
) {
  if (!args.placeIds.length) return [];
  const below = sql.ref<number | null>('sup.below');
  return db
    .selectFrom('observations as o')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
    .where('o.series_id', '=', args.seriesId)
    .where('o.place_id', 'in', args.placeIds)
    .where('o.disagg_id', '=', args.disaggId)
    .where('o.status', 'in', args.statuses)
    .select([
      'o.place_id as placeId',
      'o.period',
      isoDate('o.period_start').as('periodStart'),
      isoDate('o.period_end').as('periodEnd'),
      unlessHidden(below, args.reveal, sql<number>`o.value`).as('value'),
      below.as('suppressedBelow'),
      'o.unit',
      'o.status',
      'o.source_id as sourceId',
      'o.note',
    ])
    .orderBy('o.period_end', 'desc')
    .orderBy('o.period_start', 'desc')
    .orderBy('o.place_id')
    .orderBy('o.period')
    .limit(args.limit + 1)
    .execute();
}

export async function sourcesById(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('sources')
    .select(['id', 'name', 'names', 'licence', 'synthetic'])
    .where('id', 'in', ids)
    .execute();
}
