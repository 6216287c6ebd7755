import { type Schema, type SuppressionReveal, unlessHidden } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { isoDate, suppressionLateral } from './web-api-common.ts';

/**
 * The latest total (no breakdown) of each series at a country and at each city under it, as the reader may see it,
 * from the latest values kept as values are written (latest_observations, migration 027): at 25 million values,
 * finding them among the values took 8 s for a country of 520 cities. A value the indicator's suppression rule
 * withholds from the reader is null with `suppressedBelow`.
 */
export async function reportLatestValues(
  db: Kysely<Schema>,
  country: { id: number; path: string },
  approvedOnly: boolean,
  reveal: SuppressionReveal,
) {
  const below = sql.ref<number | null>('sup.below');
  return db
    .selectFrom('latest_observations as o')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .innerJoin('series as s', 's.id', 'o.series_id')
    .leftJoin('sources as src', 'src.id', 'o.source_id')
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
      'p.id as placeId',
      'p.code as placeCode',
      'p.names as placeNames',
      'p.pilot as placePilot',
      'o.period',
      isoDate('o.period_start').as('periodStart'),
      isoDate('o.period_end').as('periodEnd'),
      unlessHidden(below, reveal, sql<number>`o.value`).as('value'),
      below.as('suppressedBelow'),
      'o.status',
      'src.name as sourceName',
      'src.licence as sourceLicence',
      'src.synthetic as sourceSynthetic',
      'src.names as sourceNames',
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
    .execute();
}
