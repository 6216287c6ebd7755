import type { ExportRecord, ObservationStatus } from '@marsad/core';
import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Names, Schema } from '../schema.ts';
import { type SuppressionReveal, suppressedBelowSql, unlessHidden } from './suppression-sql.ts';

export interface ObservationFilter {
  indicators?: string[];
  series?: string[];
  places?: string[];
  /** Include every place below the given places. */
  subtree?: boolean;
  /** Periods overlapping [from, to] (ISO dates, inclusive). */
  from?: string;
  to?: string;
  /** Dimension code → value codes; `_T` asks for the total of that dimension. */
  dims?: Record<string, string[]>;
  /** Only the totals (no disaggregation at all). */
  totalOnly?: boolean;
  statuses?: ObservationStatus[];
  /**
   * Values that are not approved are visible only in these subtrees (place paths such as
   * '/12/'); undefined: no such limit (the operator, administrators).
   */
  unpublishedWithin?: string[];
  /**
   * Suppression of small counts (docs/methods/suppression.md): who may see the true value of an
   * observation its indicator's rule suppresses — 'all' (administrators, the operator), the
   * places under these paths, or (absent or empty) nobody: the value is then null. Either way
   * the row keeps its key and carries `suppressedBelow`.
   */
  revealSuppressed?: SuppressionReveal;
  /** Only values written (inserted or changed) after this instant (an ISO date-time; the SDMX `updatedAfter`). */
  updatedAfter?: string;
}

export interface ObservationRow {
  indicator: string;
  series: string;
  place: string;
  placeExternal: string | null;
  period: string;
  periodStart: string;
  periodEnd: string;
  dims: Record<string, string>;
  /** null: suppressed and not revealed to this reader (see `suppressedBelow`). */
  value: number | null;
  /** The rule's minimum count when the value rests on fewer; null when it is not suppressed. */
  suppressedBelow: number | null;
  unit: string | null;
  status: ObservationStatus;
  source: string | null;
  sourceLicence: string | null;
  synthetic: boolean;
  note: string | null;
  version: number;
  updatedAt: string;
  // keyset cursor
  seriesId: number;
  placeId: number;
  disaggId: number;
}

/**
 * A filter with its codes resolved to ids, so that the query on `observations` names the columns of its primary key
 * `(series_id, place_id, period, disagg_id)` and its `place_id` index directly: PostgreSQL then reads the matching
 * rows in key order through the index, at any size (issue 17: a filter by codes through joins sorted every
 * matching row, 30 s for the first page at 25 million observations). A list is null when it does not narrow.
 */
interface ResolvedFilter {
  f: ObservationFilter;
  seriesIds: number[] | null;
  placeIds: number[] | null;
  disaggIds: number[] | null;
  /** Places where this reader also sees values that are not approved (with `unpublishedWithin`). */
  unpublishedPlaceIds: number[] | null;
}

async function resolve(db: Kysely<Schema>, f: ObservationFilter): Promise<ResolvedFilter> {
  const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
  let seriesIds: number[] | null = null;
  if (f.indicators?.length || f.series?.length) {
    let q = db.selectFrom('series as s').innerJoin('indicators as i', 'i.id', 's.indicator_id').select('s.id');
    if (f.indicators?.length) q = q.where('i.code', 'in', f.indicators);
    if (f.series?.length)
      q = q.where((eb) =>
        eb.or([eb('s.code', 'in', f.series!), sql<boolean>`s.aliases && ${sql.val(f.series)}::text[]`]),
      );
    seriesIds = ids(await q.execute());
  }
  let placeIds: number[] | null = null;
  if (f.places?.length) {
    placeIds = f.subtree
      ? ids(
          await db
            .selectFrom('places as p')
            .select('p.id')
            .where((eb) =>
              eb.exists(
                eb
                  .selectFrom('places as root')
                  .select('root.id')
                  .where('root.code', 'in', f.places!)
                  .where(sql<boolean>`p.path LIKE root.path || '%'`),
              ),
            )
            .execute(),
        )
      : ids(await db.selectFrom('places').select('id').where('code', 'in', f.places).execute());
  }
  let disaggIds: number[] | null = null;
  const dims = Object.entries(f.dims ?? {});
  if (f.totalOnly) disaggIds = [0];
  else if (dims.length) {
    let q = db.selectFrom('disaggregations as d').select('d.id');
    for (const [dim, values] of dims) {
      const real = values.filter((v) => v !== '_T');
      const wantsTotal = values.includes('_T');
      q = q.where((eb) => {
        const parts = [];
        if (real.length) parts.push(sql<boolean>`d.dims ->> ${dim} = ANY(${sql.val(real)}::text[])`);
        if (wantsTotal) parts.push(sql<boolean>`NOT (d.dims ? ${dim})`);
        return eb.or(parts);
      });
    }
    disaggIds = ids(await q.execute());
  }
  let unpublishedPlaceIds: number[] | null = null;
  if (f.unpublishedWithin) {
    const patterns = f.unpublishedWithin.map((p) => `${p}%`);
    unpublishedPlaceIds = patterns.length
      ? ids(
          await db
            .selectFrom('places')
            .select('id')
            .where(sql<boolean>`path LIKE ANY(${sql.val(patterns)}::text[])`)
            .execute(),
        )
      : [];
  }
  return { f, seriesIds, placeIds, disaggIds, unpublishedPlaceIds };
}

/** The filter's conditions, on the columns of `observations as o` only. */
function conditions(r: ResolvedFilter): RawBuilder<boolean>[] {
  const { f } = r;
  const c: RawBuilder<boolean>[] = [];
  if (r.seriesIds) c.push(sql<boolean>`o.series_id = ANY(${sql.val(r.seriesIds)}::int[])`);
  if (r.placeIds) c.push(sql<boolean>`o.place_id = ANY(${sql.val(r.placeIds)}::int[])`);
  if (r.disaggIds) c.push(sql<boolean>`o.disagg_id = ANY(${sql.val(r.disaggIds)}::int[])`);
  if (f.from) c.push(sql<boolean>`o.period_end >= ${f.from}`);
  if (f.to) c.push(sql<boolean>`o.period_start <= ${f.to}`);
  if (f.statuses?.length) c.push(sql<boolean>`o.status = ANY(${sql.val(f.statuses)}::text[])`);
  if (r.unpublishedPlaceIds)
    c.push(sql<boolean>`(o.status = 'approved' OR o.place_id = ANY(${sql.val(r.unpublishedPlaceIds)}::int[]))`);
  if (f.updatedAfter) c.push(sql<boolean>`o.updated_at > ${f.updatedAfter}::timestamptz`);
  return c;
}

function where<Q extends SelectQueryBuilder<Schema & { o: Schema['observations'] }, 'o', object>>(
  q: Q,
  r: ResolvedFilter,
): Q {
  let w = q;
  for (const c of conditions(r)) w = w.where(c) as Q;
  return w;
}

function base(db: Kysely<Schema>, r: ResolvedFilter) {
  const q = db
    .selectFrom('observations as o')
    .innerJoin('series as s', 's.id', 'o.series_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoin('sources as src', 'src.id', 'o.source_id');
  return where(q, r);
}

/**
 * The observations of a page of keys (`k`: series_id, place_id, period, disagg_id) with their series, indicator,
 * place, breakdown and source: the keys are found on the observations alone, and only the page's rows are joined.
 */
function joinedPage(db: Kysely<Schema>, page: ReturnType<typeof keyPage>) {
  return db
    .selectFrom(page.as('k'))
    .innerJoin('observations as o', (j) =>
      j
        .onRef('o.series_id', '=', 'k.series_id')
        .onRef('o.place_id', '=', 'k.place_id')
        .onRef('o.period', '=', 'k.period')
        .onRef('o.disagg_id', '=', 'k.disagg_id'),
    )
    .innerJoin('series as s', 's.id', 'o.series_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoin('sources as src', 'src.id', 'o.source_id');
}

/**
 * The order a stream of observations comes in: `key`, the primary key's (series, place, period, breakdown), or
 * `series`: each series at a place and breakdown whole, its periods from the earliest (series, place, breakdown,
 * period start, period) — what an SDMX message needs, one element per series key. Both walk the primary key in
 * (series, place) order; `series` sorts the values of one series at one place (a few thousand at most) by breakdown
 * and period as it goes (an incremental sort), and a page after a key starts the walk at that key's (series, place).
 */
export type ObservationOrder = 'key' | 'series';

/** The keys of the matching observations in `order`, after `after`, skipping `offset`, at most `limit`. */
function keyPage(
  db: Kysely<Schema>,
  r: ResolvedFilter,
  limit: number,
  offset: number,
  after?: ObservationKey,
  order: ObservationOrder = 'key',
) {
  let q = where(db.selectFrom('observations as o').select(['o.series_id', 'o.place_id', 'o.period', 'o.disagg_id']), r);
  if (after && order === 'series') {
    // The first condition is the index's: the walk starts at the key's series and place.
    q = q
      .where(sql<boolean>`(o.series_id, o.place_id) >= (${after.seriesId}, ${after.placeId})`)
      .where(
        sql<boolean>`(o.series_id, o.place_id, o.disagg_id, o.period_start, o.period) > (${after.seriesId}, ${after.placeId}, ${after.disaggId}, ${after.periodStart ?? '0001-01-01'}::date, ${after.period})`,
      );
  } else if (after)
    q = q.where(
      sql<boolean>`(o.series_id, o.place_id, o.period, o.disagg_id) > (${after.seriesId}, ${after.placeId}, ${after.period}, ${after.disaggId})`,
    );
  return orderedBy(q, order).limit(limit).offset(offset);
}

/** `ORDER BY` the columns of `order` (ObservationOrder), on `observations as o`. */
function orderedBy<Q extends SelectQueryBuilder<Schema & { o: Schema['observations'] }, 'o', object>>(
  q: Q,
  order: ObservationOrder,
): Q {
  return (
    order === 'series'
      ? q
          .orderBy('o.series_id')
          .orderBy('o.place_id')
          .orderBy('o.disagg_id')
          .orderBy('o.period_start')
          .orderBy('o.period')
      : q.orderBy('o.series_id').orderBy('o.place_id').orderBy('o.period').orderBy('o.disagg_id')
  ) as Q;
}

function select(q: ReturnType<typeof joinedPage>, f: ObservationFilter) {
  // The suppression test once per row (a lateral join), then the value and the note (which may
  // tell the count) withheld where the reader may not see them.
  const below = sql.ref<number | null>('sup.below');
  return q
    .leftJoinLateral(
      sql<{ below: number | null }>`(SELECT ${suppressedBelowSql()} AS below OFFSET 0)`.as('sup'),
      (join) => join.onTrue(),
    )
    .select([
      'i.code as indicator',
      's.code as series',
      'p.code as place',
      'p.external_code as placeExternal',
      'o.period',
      sql<string>`to_char(o.period_start, 'YYYY-MM-DD')`.as('periodStart'),
      sql<string>`to_char(o.period_end, 'YYYY-MM-DD')`.as('periodEnd'),
      'd.dims',
      unlessHidden(below, f.revealSuppressed, sql<number>`o.value`).as('value'),
      below.as('suppressedBelow'),
      'o.unit',
      'o.status',
      'src.name as source',
      'src.licence as sourceLicence',
      sql<boolean>`coalesce(src.synthetic, false)`.as('synthetic'),
      unlessHidden(below, f.revealSuppressed, sql<string | null>`o.note`).as('note'),
      'o.version',
      sql<string>`to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`.as('updatedAt'),
      'o.series_id as seriesId',
      'o.place_id as placeId',
      'o.disagg_id as disaggId',
    ]);
}

/** Above this many matching observations, `countObservations` stops counting (they are not all read). */
export const COUNT_LIMIT = 10_000;

/**
 * How many observations match, or null when more than `COUNT_LIMIT` do: counting 25 million rows takes seconds,
 * and a reader paging through them follows the keyset cursor instead.
 */
async function countMatching(db: Kysely<Schema>, r: ResolvedFilter): Promise<number | null> {
  const inner = where(db.selectFrom('observations as o').select(sql`1`.as('one')), r).limit(COUNT_LIMIT + 1);
  const row = await db.selectFrom(inner.as('x')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  const n = row?.n ?? 0;
  return n > COUNT_LIMIT ? null : n;
}

/** Where a page of observations starts: after this key (the `next` of the page before). */
export interface ObservationKey {
  seriesId: number;
  placeId: number;
  period: string;
  disaggId: number;
  /** The period's first day (YYYY-MM-DD): needed after a key in the `series` order. */
  periodStart?: string;
}

/** The key of an observation as an opaque cursor for `after=` (base64url of its four parts), and back. */
export function encodeObservationCursor(k: ObservationKey): string {
  return Buffer.from(JSON.stringify([k.seriesId, k.placeId, k.period, k.disaggId])).toString('base64url');
}
export function decodeObservationCursor(cursor: string): ObservationKey | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 4 &&
      Number.isInteger(v[0]) &&
      Number.isInteger(v[1]) &&
      typeof v[2] === 'string' &&
      v[2].length <= 40 &&
      Number.isInteger(v[3])
    )
      return { seriesId: v[0], placeId: v[1], period: v[2], disaggId: v[3] };
  } catch {
    /* not a cursor */
  }
  return null;
}

/**
 * Matching observations in the order of their key (series, place, period, breakdown — the primary key, so that any
 * page is read through the index), after `after` when given, skipping `offset`.
 */
async function listMatching(
  db: Kysely<Schema>,
  r: ResolvedFilter,
  limit: number,
  offset: number,
  after?: ObservationKey,
  order: ObservationOrder = 'key',
): Promise<ObservationRow[]> {
  // The page's keys first, on the observations alone (PostgreSQL walks the primary key, or reads a place's rows by
  // its index and sorts them), then the joins for those rows only: with the joins in the same query, PostgreSQL
  // chose at 25 million values to join every matching row before keeping the first (0.9 s for a city's subtree).
  const rows = await orderedBy(
    select(joinedPage(db, keyPage(db, r, limit, offset, after, order)), r.f),
    order,
  ).execute();
  return rows as ObservationRow[];
}

/** One page of the matching observations (`listMatching`) and how many match (`countMatching`). */
export async function observationsPage(
  db: Kysely<Schema>,
  f: ObservationFilter,
  limit: number,
  offset: number,
  after?: ObservationKey,
): Promise<{ total: number | null; rows: ObservationRow[] }> {
  const r = await resolve(db, f);
  const [total, rows] = await Promise.all([countMatching(db, r), listMatching(db, r, limit, offset, after)]);
  return { total, rows };
}

/**
 * Every matching observation, read in keyset pages so memory stays flat on any size, in the order of the key or,
 * with `order` 'series', each series at a place and breakdown whole (ObservationOrder).
 */
export async function* streamObservations(
  db: Kysely<Schema>,
  f: ObservationFilter,
  pageSize = 5000,
  order: ObservationOrder = 'key',
): AsyncGenerator<ObservationRow> {
  const r = await resolve(db, f);
  let after: ObservationKey | undefined;
  // The first pages are small, so that a download starts at once (a page of 5,000 values with a suppression rule
  // to test took 0.6 s at national scale), then grow to `pageSize`.
  let size = Math.min(FIRST_PAGE, pageSize);
  for (;;) {
    const rows = await listMatching(db, r, size, 0, after, order);
    for (const row of rows) yield row;
    if (rows.length < size) return;
    after = rows[rows.length - 1]!;
    size = Math.min(size * 4, pageSize);
  }
}

/** The first page of a stream of observations. */
const FIRST_PAGE = 100;

export function toExportRecord(r: ObservationRow, names?: { indicator?: Names; place?: Names }): ExportRecord {
  return {
    indicator: r.indicator,
    series: r.series,
    place: r.place,
    placeExternal: r.placeExternal ?? undefined,
    period: r.period,
    value: r.value,
    ...(r.suppressedBelow !== null ? { suppressedBelow: r.suppressedBelow } : {}),
    unit: r.unit ?? undefined,
    status: r.status,
    source: r.source ?? undefined,
    note: r.note ?? undefined,
    dims: r.dims,
    indicatorName: names?.indicator?.en,
    placeName: names?.place?.en,
  };
}

export async function observationHistory(
  db: Kysely<Schema>,
  key: { seriesId: number; placeId: number; period: string; disaggId: number },
) {
  return db
    .selectFrom('observation_history')
    .selectAll()
    .where('series_id', '=', key.seriesId)
    .where('place_id', '=', key.placeId)
    .where('period', '=', key.period)
    .where('disagg_id', '=', key.disaggId)
    .orderBy('version', 'desc')
    .execute();
}

/**
 * What the matching observations use — indicators and series, disaggregations, periods — so a
 * writer that must map every code (DHIS2) can check it can express them all before it starts.
 */
export async function observationKeysUsed(
  db: Kysely<Schema>,
  f: ObservationFilter,
): Promise<{ series: { indicator: string; series: string }[]; dims: Record<string, string>[]; periods: string[] }> {
  const r = await resolve(db, f);
  const series = await base(db, r).select(['i.code as indicator', 's.code as series']).distinct().execute();
  const dims = await base(db, r).select('d.dims').distinct().execute();
  const periods = await base(db, r).select('o.period').distinct().execute();
  return { series, dims: dims.map((d) => d.dims), periods: periods.map((p) => p.period) };
}

/** Up to this many matching observations, `dimensionsUsed` reads their breakdowns from the values themselves. */
const EXACT_DIMENSIONS_ROWS = 10_000;

/**
 * The dimension codes the matching observations use, for the columns of an export's first line. A selection of up
 * to `EXACT_DIMENSIONS_ROWS` values is read exactly; a larger one takes the breakdowns its series have values for
 * (the table series_disaggregations, kept as values are written: migration 025), so that a download of 25 million
 * values starts at once. The larger answer can name a dimension no selected value uses (an empty column).
 */
export async function dimensionsUsed(
  db: Kysely<Schema>,
  f: ObservationFilter,
  exactRows = EXACT_DIMENSIONS_ROWS,
): Promise<string[]> {
  const r = await resolve(db, f);
  const sample = where(db.selectFrom('observations as o').select('o.disagg_id'), r).limit(exactRows + 1);
  const used = await db
    .selectFrom(sample.as('x'))
    .select(['x.disagg_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('x.disagg_id')
    .execute();
  let ids = used.map((u) => u.disagg_id);
  if (used.reduce((n, u) => n + u.n, 0) > exactRows) {
    let q = db.selectFrom('series_disaggregations as sd').select('sd.disagg_id').distinct();
    if (r.seriesIds) q = q.where(sql<boolean>`sd.series_id = ANY(${sql.val(r.seriesIds)}::int[])`);
    if (r.disaggIds) q = q.where(sql<boolean>`sd.disagg_id = ANY(${sql.val(r.disaggIds)}::int[])`);
    ids = (await q.execute()).map((x) => x.disagg_id);
  }
  if (!ids.length) return [];
  const keys = await db
    .selectFrom('disaggregations as d')
    .select(sql<string>`jsonb_object_keys(d.dims)`.as('k'))
    .distinct()
    .where(sql<boolean>`d.id = ANY(${sql.val(ids)}::int[])`)
    .execute();
  return keys.map((k) => k.k).sort();
}

/**
 * How many observations match, counted up to `limit + 1`: the answer is exact up to `limit`, and `limit + 1` means
 * "more than `limit`" (the rest are not read). For a service that refuses answers larger than it will send (SDMX's
 * 413) before it sends anything.
 */
export async function countObservationsUpTo(db: Kysely<Schema>, f: ObservationFilter, limit: number): Promise<number> {
  const r = await resolve(db, f);
  const inner = where(db.selectFrom('observations as o').select(sql`1`.as('one')), r).limit(limit + 1);
  const row = await db.selectFrom(inner.as('x')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return row?.n ?? 0;
}

/** One series key (series, place, breakdown) of the matching observations, with how many and their time span. */
export interface ObservationSeriesSummary {
  indicator: string;
  series: string;
  place: string;
  dims: Record<string, string>;
  observations: number;
  /** The first day of the earliest period and the last day of the latest (YYYY-MM-DD). */
  firstDay: string;
  lastDay: string;
}

/**
 * The series keys the matching observations have (what data is there: the SDMX availability of a query), each with
 * its number of observations and time span. Grouped by PostgreSQL over the matching rows (the primary key's order),
 * so Node holds one row per series key.
 */
export async function observationSeriesSummary(
  db: Kysely<Schema>,
  f: ObservationFilter,
): Promise<ObservationSeriesSummary[]> {
  const r = await resolve(db, f);
  const groups = where(
    db
      .selectFrom('observations as o')
      .select([
        'o.series_id',
        'o.place_id',
        'o.disagg_id',
        sql<number>`count(*)::int`.as('n'),
        sql<string>`min(o.period_start)`.as('first_day'),
        sql<string>`max(o.period_end)`.as('last_day'),
      ]),
    r,
  ).groupBy(['o.series_id', 'o.place_id', 'o.disagg_id']);
  const rows = await db
    .selectFrom(groups.as('g'))
    .innerJoin('series as s', 's.id', 'g.series_id')
    .innerJoin('indicators as i', 'i.id', 's.indicator_id')
    .innerJoin('places as p', 'p.id', 'g.place_id')
    .innerJoin('disaggregations as d', 'd.id', 'g.disagg_id')
    .select([
      'i.code as indicator',
      's.code as series',
      'p.code as place',
      'd.dims',
      'g.n',
      sql<string>`to_char(g.first_day, 'YYYY-MM-DD')`.as('firstDay'),
      sql<string>`to_char(g.last_day, 'YYYY-MM-DD')`.as('lastDay'),
    ])
    .orderBy('g.series_id')
    .orderBy('g.place_id')
    .orderBy('g.disagg_id')
    .execute();
  return rows.map((x) => ({
    indicator: x.indicator,
    series: x.series,
    place: x.place,
    dims: x.dims,
    observations: x.n,
    firstDay: x.firstDay,
    lastDay: x.lastDay,
  }));
}
