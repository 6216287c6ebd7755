import type { Schema } from '@marsad/db';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { type SourceView, sourceView, suppressionLateral } from '../web-api/web-api-common.ts';

/**
 * The yearly values that results are measured with: approved observations only, totals (no
 * disaggregation), yearly periods ('2024'), read the way the public reads them — a value its
 * indicator's suppression rule withholds is null with `suppressedBelow` (docs/methods/
 * suppression.md) and is never used in a figure. Every reader gets the same figures.
 */
export interface ObservedValue {
  seriesId: number;
  indicatorId: number;
  placeId: number;
  place: string;
  year: number;
  /** null: withheld from the public (fewer than `suppressedBelow`). */
  value: number | null;
  suppressedBelow: number | null;
  status: string;
  source: SourceView | null;
}

export async function approvedYearlyValues(
  db: Kysely<Schema>,
  seriesIds: readonly number[],
  placeIds: readonly number[],
): Promise<ObservedValue[]> {
  if (!seriesIds.length || !placeIds.length) return [];
  const below = sql.ref<number | null>('sup.below');
  const rows = await db
    .selectFrom('observations as o')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoin('sources as src', 'src.id', 'o.source_id')
    .leftJoinLateral(suppressionLateral(), (join) => join.onTrue())
    .where('o.series_id', 'in', [...seriesIds])
    .where('o.place_id', 'in', [...placeIds])
    .where('o.disagg_id', '=', 0)
    .where('o.status', '=', 'approved')
    .where(sql<boolean>`o.period ~ '^[0-9]{4}$'`)
    .select([
      'o.series_id as seriesId',
      'o.indicator_id as indicatorId',
      'o.place_id as placeId',
      'p.code as place',
      'o.period',
      sql<number | null>`CASE WHEN ${below} IS NULL THEN o.value END`.as('value'),
      below.as('suppressedBelow'),
      'o.status',
      'src.name as sourceName',
      'src.licence as sourceLicence',
      'src.synthetic as sourceSynthetic',
      'src.names as sourceNames',
    ])
    .orderBy('o.series_id')
    .orderBy('o.place_id')
    .orderBy('o.period')
    .execute();
  return rows.map((r) => ({
    seriesId: r.seriesId,
    indicatorId: r.indicatorId,
    placeId: r.placeId,
    place: r.place,
    year: Number(r.period),
    value: r.value === null ? null : Number(r.value),
    suppressedBelow: r.suppressedBelow === null ? null : Number(r.suppressedBelow),
    status: r.status,
    source: sourceView(r.sourceName, r.sourceLicence, r.sourceSynthetic, r.sourceNames),
  }));
}
