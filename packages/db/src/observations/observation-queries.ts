import type { ExportRecord, ObservationStatus } from '@marsad/core';
import { type Kysely, sql } from 'kysely';
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

function base(db: Kysely<Schema>, f: ObservationFilter) {
  let q = db
    .selectFrom('observations as o')
    .innerJoin('series as s', 's.id', 'o.series_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('places as p', 'p.id', 'o.place_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .leftJoin('sources as src', 'src.id', 'o.source_id');
  if (f.indicators?.length) q = q.where('i.code', 'in', f.indicators);
  if (f.series?.length)
    q = q.where((eb) =>
      eb.or([eb('s.code', 'in', f.series!), sql<boolean>`s.aliases && ${sql.val(f.series)}::text[]`]),
    );
  if (f.places?.length) {
    if (f.subtree) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('places as root')
            .select('root.id')
            .where('root.code', 'in', f.places!)
            .where(sql<boolean>`p.path LIKE root.path || '%'`),
        ),
      );
    } else q = q.where('p.code', 'in', f.places);
  }
  if (f.from) q = q.where('o.period_end', '>=', f.from);
  if (f.to) q = q.where('o.period_start', '<=', f.to);
  if (f.statuses?.length) q = q.where('o.status', 'in', f.statuses);
  if (f.unpublishedWithin) {
    const patterns = f.unpublishedWithin.map((p) => `${p}%`);
    q = q.where((eb) =>
      eb.or([
        eb('o.status', '=', 'approved'),
        ...(patterns.length ? [sql<boolean>`p.path LIKE ANY(${sql.val(patterns)}::text[])`] : []),
      ]),
    );
  }
  if (f.totalOnly) q = q.where('o.disagg_id', '=', 0);
  for (const [dim, values] of Object.entries(f.dims ?? {})) {
    const real = values.filter((v) => v !== '_T');
    const wantsTotal = values.includes('_T');
    q = q.where((eb) => {
      const parts = [];
      if (real.length) parts.push(sql<boolean>`d.dims ->> ${dim} = ANY(${sql.val(real)}::text[])`);
      if (wantsTotal) parts.push(sql<boolean>`NOT (d.dims ? ${dim})`);
      return eb.or(parts);
    });
  }
  return q;
}

function select(q: ReturnType<typeof base>, f: ObservationFilter) {
  // The suppression test once per row (a lateral join), then the value and the note (which may
  // tell the count) withheld where the reader may not see them.
  const below = sql.ref<number | null>('sup.below');
  return q
    .leftJoinLateral(sql<{ below: number | null }>`(SELECT ${suppressedBelowSql()} AS below)`.as('sup'), (join) =>
      join.onTrue(),
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

export async function countObservations(db: Kysely<Schema>, f: ObservationFilter): Promise<number> {
  const r = await base(db, f).select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return r?.n ?? 0;
}

export async function listObservations(
  db: Kysely<Schema>,
  f: ObservationFilter,
  limit: number,
  offset: number,
): Promise<ObservationRow[]> {
  const rows = await select(base(db, f), f)
    .orderBy('i.code')
    .orderBy('s.code')
    .orderBy('p.code')
    .orderBy('o.period_start')
    .orderBy('o.period')
    .orderBy('o.disagg_id')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows as ObservationRow[];
}

/** Every matching observation, read in keyset pages so memory stays flat on any size. */
export async function* streamObservations(
  db: Kysely<Schema>,
  f: ObservationFilter,
  pageSize = 5000,
): AsyncGenerator<ObservationRow> {
  let after: { s: number; p: number; per: string; d: number } | null = null;
  for (;;) {
    let q = select(base(db, f), f);
    if (after) {
      const a = after;
      q = q.where(sql<boolean>`(o.series_id, o.place_id, o.period, o.disagg_id) > (${a.s}, ${a.p}, ${a.per}, ${a.d})`);
    }
    const rows = (await q
      .orderBy('o.series_id')
      .orderBy('o.place_id')
      .orderBy('o.period')
      .orderBy('o.disagg_id')
      .limit(pageSize)
      .execute()) as ObservationRow[];
    for (const r of rows) yield r;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { s: last.seriesId, p: last.placeId, per: last.period, d: last.disaggId };
  }
}

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
  const series = await base(db, f).select(['i.code as indicator', 's.code as series']).distinct().execute();
  const dims = await base(db, f).select('d.dims').distinct().execute();
  const periods = await base(db, f).select('o.period').distinct().execute();
  return { series, dims: dims.map((d) => d.dims), periods: periods.map((p) => p.period) };
}
