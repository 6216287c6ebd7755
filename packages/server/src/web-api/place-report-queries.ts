import { type Schema, type SuppressionReveal, unlessHidden } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { sourcesById } from './indicator-data-queries.ts';
import { isoDate, suppressionLateral } from './web-api-common.ts';

/** The country a report is made for. */
export interface ReportCountry {
  id: number;
  path: string;
}

/** The suppression rule's minimum where it withholds a value (the lateral `sup` of `latestTotals`), else null. */
const BELOW = sql.ref<number | null>('sup.below');

/**
 * The latest totals (no breakdown, `disagg_id` 0) of the values a reader is given (`approvedOnly`), with their place,
 * indicator and breakdown joined and the suppression rule applied laterally as `sup`: what both of the report's reads
 * of latest values start from.
 */
function latestTotals(db: Kysely<Schema>, approvedOnly: boolean) {
  return db
    .selectFrom('latest_observations as o')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
    .where('o.disagg_id', '=', 0)
    .where('o.approved_only', '=', approvedOnly);
}

/**
 * The latest totals (no breakdown) at the country's cities, as the reader may see them, from the latest values kept
 * as values are written (latest_observations, migration 027; its place index carries the columns read); `value` is null
 * where the suppression rule withholds it from the reader.
 */
function cityTotals(db: Kysely<Schema>, country: ReportCountry, approvedOnly: boolean, reveal: SuppressionReveal) {
  return latestTotals(db, approvedOnly)
    .where('p.level', '=', 'city')
    .where('p.path', 'like', `${country.path}%`)
    .select([
      'o.series_id',
      'o.place_id',
      'o.period',
      'o.period_end',
      unlessHidden(BELOW, reveal, sql<number>`o.value`).as('value'),
    ]);
}

/** How many of the country's cities have a latest total the reader may see (withheld or not). */
export async function reportCityCount(
  db: Kysely<Schema>,
  country: ReportCountry,
  approvedOnly: boolean,
): Promise<number> {
  const r = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM places p
     WHERE p.level = 'city' AND p.path LIKE ${`${country.path}%`}
       AND EXISTS (SELECT 1 FROM latest_observations o
                    WHERE o.place_id = p.id AND o.disagg_id = 0 AND o.approved_only = ${approvedOnly})`.execute(db);
  return r.rows[0]?.n ?? 0;
}

/** How one series' latest totals spread over the country's cities (core's ValueSpread, grouped in SQL). */
export interface SeriesSpread {
  seriesId: number;
  /** Cities with a latest total, withheld or not. */
  cities: number;
  /** Of which shown to the reader. */
  n: number;
  min: number | null;
  max: number | null;
  /** The median is the mean of these two (the same value for an odd number of values). */
  lowMiddle: number | null;
  highMiddle: number | null;
  /** The periods of the shown values ending first and last. */
  earliestPeriod: string | null;
  latestPeriod: string | null;
  /** The period ending last of any value, shown or withheld, and its end. */
  lastPeriod: string;
  lastEnd: string;
}

/**
 * Each series' spread over the country's cities, counted by PostgreSQL: a country of 520 cities has 31,000 latest
 * totals, which made a large answer to read and group in Node.
 */
export async function reportSpreads(
  db: Kysely<Schema>,
  country: ReportCountry,
  approvedOnly: boolean,
  reveal: SuppressionReveal,
): Promise<SeriesSpread[]> {
  const rows = await sql<Omit<SeriesSpread, 'cities' | 'n'> & { cities: string; n: string }>`
    SELECT v.series_id AS "seriesId", count(*) AS cities, count(v.value) AS n,
           min(v.value) AS min, max(v.value) AS max,
           percentile_disc(0.5) WITHIN GROUP (ORDER BY v.value) AS "lowMiddle",
           percentile_disc(0.5) WITHIN GROUP (ORDER BY v.value DESC) AS "highMiddle",
           (array_agg(v.period ORDER BY v.period_end, v.period) FILTER (WHERE v.value IS NOT NULL))[1] AS "earliestPeriod",
           (array_agg(v.period ORDER BY v.period_end DESC, v.period DESC) FILTER (WHERE v.value IS NOT NULL))[1] AS "latestPeriod",
           (array_agg(v.period ORDER BY v.period_end DESC, v.period DESC))[1] AS "lastPeriod",
           to_char(max(v.period_end), 'YYYY-MM-DD') AS "lastEnd"
      FROM (${cityTotals(db, country, approvedOnly, reveal)}) AS v
     GROUP BY v.series_id`.execute(db);
  return rows.rows.map((r) => ({ ...r, cities: Number(r.cities), n: Number(r.n) }));
}

/**
 * The latest totals of the country and of the cities listed (all of them, or the pilot cities only), as the reader
 * may see them: null with `suppressedBelow` where the indicator's suppression rule withholds it. The values carry ids
 * only; their places, series (with their indicator, also those of `moreSeries`) and sources come once each beside them
 * (with their names in every language, they made 60 MB a query when joined to 31,000 values).
 */
export async function reportLatestValues(
  db: Kysely<Schema>,
  country: ReportCountry,
  approvedOnly: boolean,
  reveal: SuppressionReveal,
  options: { pilotCitiesOnly: boolean; moreSeries: number[] },
) {
  const values = await latestTotals(db, approvedOnly)
    .where((eb) =>
      eb.or([
        eb('p.id', '=', country.id),
        eb.and([
          eb('p.level', '=', 'city'),
          eb('p.path', 'like', `${country.path}%`),
          ...(options.pilotCitiesOnly ? [eb('p.pilot', '=', true)] : []),
        ]),
      ]),
    )
    .select([
      'o.series_id as seriesId',
      'o.place_id as placeId',
      'o.source_id as sourceId',
      'o.period',
      isoDate('o.period_start').as('periodStart'),
      isoDate('o.period_end').as('periodEnd'),
      unlessHidden(BELOW, reveal, sql<number>`o.value`).as('value'),
      BELOW.as('suppressedBelow'),
      'o.status',
    ])
    .execute();
  const placeIds = [...new Set(values.map((v) => v.placeId))];
  const seriesIds = [...new Set([...values.map((v) => v.seriesId), ...options.moreSeries])];
  const sourceIds = [...new Set(values.map((v) => v.sourceId).filter((id): id is number => id !== null))];
  const [places, series, sources] = await Promise.all([
    placeIds.length
      ? db.selectFrom('places').select(['id', 'code', 'names', 'pilot']).where('id', 'in', placeIds).execute()
      : [],
    seriesIds.length
      ? db
          .selectFrom('series as s')
          .innerJoin('indicators as i', 'i.id', 's.indicator_id')
          .where('s.id', 'in', seriesIds)
          .select([
            's.id',
            's.code as seriesCode',
            's.names as seriesNames',
            's.is_default as isDefault',
            's.unit_code as seriesUnit',
            's.unit_names as seriesUnitNames',
            'i.code as indicatorCode',
            'i.names as indicatorNames',
            'i.unit_code as unitCode',
            'i.unit_names as unitNames',
            'i.direction',
          ])
          .execute()
      : [],
    sourcesById(db, sourceIds),
  ]);
  return {
    values,
    places: new Map(places.map((p) => [p.id, p])),
    series: new Map(series.map((s) => [s.id, s])),
    sources: new Map(sources.map((s) => [s.id, s])),
  };
}
