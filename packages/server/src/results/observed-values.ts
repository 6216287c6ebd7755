import { type Schema, suppressedBelowSql } from '@marsad/db';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { sourcesById } from '../web-api/indicator-data-queries.ts';
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

/**
 * What a comparison with a base year reads of each series at each place (core `compareWithBase`): its first yearly
 * value, the value of `baselineYear` and its latest — three probes of the primary key per series and place instead of
 * every yearly value (the 2030 targets of a programme over 500 cities read 400,000 values at 25 million, issue 17).
 * The same values as `approvedYearlyValues` gives for those years, in the same order, of those the public sees: a
 * value its indicator's suppression rule withholds is passed over, as the figures never use it.
 */
export async function approvedYearlyEnds(
  db: Kysely<Schema>,
  seriesIds: readonly number[],
  placeIds: readonly number[],
  baselineYear: number,
): Promise<ObservedValue[]> {
  if (!seriesIds.length || !placeIds.length) return [];
  // The indicator, place and total a probe's suppression test reads are joined outside it, once per series and
  // place, so that each probe is a walk of the key that stops at its first visible value.
  const probe = (order: RawBuilder<unknown>, extra: RawBuilder<unknown> = sql``) => sql`(
    SELECT o.indicator_id, o.period, o.value, o.source_id FROM observations o
     WHERE o.series_id = ss.id AND o.place_id = p.id AND o.disagg_id = 0 AND o.status = 'approved'
       AND o.period ~ '^[0-9]{4}$' ${extra} AND (${suppressedBelowSql()}) IS NULL
     ORDER BY ${order} LIMIT 1)`;
  const rows = await sql<{
    seriesId: number;
    indicatorId: number;
    placeId: number;
    place: string;
    period: string;
    value: number;
    sourceId: number | null;
  }>`
    SELECT ss.id AS "seriesId", e.indicator_id AS "indicatorId", p.id AS "placeId", p.code AS place, e.period, e.value,
           e.source_id AS "sourceId"
      FROM series ss
      JOIN indicators i ON i.id = ss.indicator_id
     CROSS JOIN places p
     CROSS JOIN (SELECT dims FROM disaggregations WHERE id = 0) d
     CROSS JOIN LATERAL (
       ${probe(sql`o.series_id, o.place_id, o.period`)}
       UNION
       ${probe(sql`o.series_id, o.place_id, o.period`, sql`AND o.period = ${String(baselineYear)}`)}
       UNION
       ${probe(sql`o.series_id DESC, o.place_id DESC, o.period DESC`)}
     ) AS e
     WHERE ss.id = ANY(${sql.val([...seriesIds])}::int[]) AND p.id = ANY(${sql.val([...placeIds])}::int[])
     ORDER BY 1, 3, 4`.execute(db);
  const sourceIds = [...new Set(rows.rows.map((r) => r.sourceId).filter((id): id is number => id !== null))];
  const sources = new Map(
    (await sourcesById(db, sourceIds)).map((s) => [s.id, sourceView(s.name, s.licence, s.synthetic, s.names)]),
  );
  return rows.rows.map(
    (r): ObservedValue => ({
      seriesId: r.seriesId,
      indicatorId: r.indicatorId,
      placeId: r.placeId,
      place: r.place,
      year: Number(r.period),
      value: Number(r.value),
      suppressedBelow: null,
      status: 'approved',
      source: r.sourceId === null ? null : (sources.get(r.sourceId) ?? null),
    }),
  );
}
