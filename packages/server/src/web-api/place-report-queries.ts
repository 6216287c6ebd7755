import { type Schema, type SuppressionReveal, unlessHidden } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { sourcesById } from './indicator-data-queries.ts';
import { isoDate, suppressionLateral } from './web-api-common.ts';

/**
 * The latest total (no breakdown) of each series at a country and at each city under it, as the reader may see it,
 * from the latest values kept as values are written (latest_observations, migration 027): at 25 million values,
 * finding them among the values took 8 s for a country of 520 cities. A value the indicator's suppression rule
 * withholds from the reader is null with `suppressedBelow`. The values carry ids only; their places, series (with
 * their indicator) and sources come once each beside them (with their names in every language, they made 60 MB a
 * query when joined to 31,000 values).
 */
export async function reportLatestValues(
  db: Kysely<Schema>,
  country: { id: number; path: string },
  approvedOnly: boolean,
  reveal: SuppressionReveal,
) {
  const below = sql.ref<number | null>('sup.below');
  const values = await db
    .selectFrom('latest_observations as o')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
    .where((eb) =>
      eb.or([
        eb('p.id', '=', country.id),
        eb.and([eb('p.level', '=', 'city'), eb('p.path', 'like', `${country.path}%`)]),
      ]),
    )
    .where('o.disagg_id', '=', 0)
    .where('o.approved_only', '=', approvedOnly)
    .select([
      'o.series_id as seriesId',
      'o.place_id as placeId',
      'o.source_id as sourceId',
      'o.period',
      isoDate('o.period_start').as('periodStart'),
      isoDate('o.period_end').as('periodEnd'),
      unlessHidden(below, reveal, sql<number>`o.value`).as('value'),
      below.as('suppressedBelow'),
      'o.status',
    ])
    .execute();
  const placeIds = [...new Set(values.map((v) => v.placeId))];
  const seriesIds = [...new Set(values.map((v) => v.seriesId))];
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
