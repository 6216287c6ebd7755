import type { Period, ValidationRules } from '@marsad/core';
import { type Names, readCatalogueFiles, type Store } from '@marsad/db';
import { sql } from 'kysely';
import { EVENT_KEY, type ReturnAction } from './approval-events.ts';

/**
 * What the data-entry form needs for a place, a period and a framework: the indicators that
 * apply (active or draft, not retired, with at least one series, in the framework; local indicators only for their
 * own place and the places above it), their series that apply to the place (seriesThatApply), dimensions with value codes, validation
 * rules, the values already entered for the period, and the values of the previous period
 * (the latest earlier one of each key), which the change rule compares with.
 */

export interface FormPlace {
  id: number;
  code: string;
  level: string;
  path: string;
  names: Names;
}

export interface FormDimension {
  code: string;
  names: Names;
  values: { code: string; names: Names }[];
}

export interface FormValue {
  series: string;
  dims: Record<string, string>;
  period: string;
  value: number;
  unit: string | null;
  status: string;
  source: string | null;
  note: string | null;
  version: number;
  /**
   * For a value of the period sent back or reopened and not yet corrected: why, by whom and when (the provider
   * corrects it here, or explains in the note why it stands).
   */
  returned?: { action: ReturnAction; reason: string; by: string; at: string } | null;
}

export interface FormIndicator {
  code: string;
  names: Names;
  unit: string | null;
  unitNames: Names;
  direction: string;
  group: string | null;
  groupNames: Names | null;
  series: { code: string; names: Names; unit: string | null; default: boolean }[];
  dimensions: FormDimension[];
  validationRules: ValidationRules;
  current: FormValue[];
  previous: FormValue[];
}

export async function loadPlace(store: Store, code: string): Promise<FormPlace | undefined> {
  return store.db
    .selectFrom('places')
    .select(['id', 'code', 'level', 'path', 'names'])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** The frameworks a form can be opened for (those with indicators that have series). */
export async function entryFrameworks(store: Store) {
  return store.db
    .selectFrom('frameworks as f')
    .select(['f.code', 'f.names'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('indicator_frameworks as m')
          .innerJoin('series as s', 's.indicator_id', 'm.indicator_id')
          .innerJoin('indicators as i', 'i.id', 'm.indicator_id')
          .select('m.indicator_id')
          .whereRef('m.framework_id', '=', 'f.id')
          .where('i.status', '<>', 'retired'),
      ),
    )
    .orderBy('f.id')
    .execute();
}

export async function loadEntryForm(
  store: Store,
  place: FormPlace,
  period: Period,
  framework: string,
): Promise<FormIndicator[]> {
  const db = store.db;
  const ancestors = place.path.split('/').filter(Boolean).map(Number);
  const inds = await db
    .selectFrom('indicators as i')
    .innerJoin('indicator_frameworks as m', 'm.indicator_id', 'i.id')
    .innerJoin('frameworks as f', 'f.id', 'm.framework_id')
    .leftJoin('framework_groups as g', 'g.id', 'm.group_id')
    .select([
      'i.id',
      'i.code',
      'i.names',
      'i.unit_code',
      'i.unit_names',
      'i.direction',
      'i.dimensions',
      'i.validation_rules',
      'g.code as group',
      'g.names as groupNames',
      'g.position',
    ])
    .where('f.code', '=', framework)
    .where('i.status', '<>', 'retired')
    .where((eb) =>
      eb.or([eb('i.local', '=', false), eb('i.owner_place_id', 'in', ancestors.length ? ancestors : [-1])]),
    )
    .where((eb) => eb.exists(eb.selectFrom('series as s').select('s.id').whereRef('s.indicator_id', '=', 'i.id')))
    .orderBy(sql`coalesce(g.position, 0)`)
    .orderBy(
      sql`(SELECT array_agg(lpad(part, 4, '0') ORDER BY n) FROM unnest(string_to_array(i.code, '.')) WITH ORDINALITY AS t(part, n))`,
    )
    .orderBy('i.code')
    .execute();
  if (!inds.length) return [];
  const ids = inds.map((i) => i.id);
  const dimCodes = [...new Set(inds.flatMap((i) => i.dimensions))];
  const [allSeries, dims, current, previous] = await Promise.all([
    db
      .selectFrom('series')
      .select(['id', 'indicator_id', 'code', 'names', 'unit_code', 'is_default'])
      .where('indicator_id', 'in', ids)
      .orderBy('id')
      .execute(),
    dimCodes.length
      ? db
          .selectFrom('dimensions as d')
          .innerJoin('dimension_values as v', 'v.dimension_id', 'd.id')
          .select(['d.code as dim', 'd.names as dimNames', 'v.code', 'v.names'])
          .where('d.code', 'in', dimCodes)
          .where('d.open', '=', false)
          .orderBy('d.code')
          .orderBy('v.position')
          .orderBy('v.id')
          .execute()
      : Promise.resolve([]),
    valuesAt(store, ids, place.id, sql`o.period = ${period.code}`),
    valuesAt(store, ids, place.id, sql`o.period_end < ${period.start}::date`, true),
  ]);
  const codeOf = new Map(inds.map((i) => [i.id, i.code]));
  const series = await seriesThatApply(store, place, allSeries, codeOf);
  const dimMap = new Map<string, FormDimension>();
  for (const d of dims) {
    const x = dimMap.get(d.dim) ?? { code: d.dim, names: d.dimNames, values: [] };
    x.values.push({ code: d.code, names: d.names });
    dimMap.set(d.dim, x);
  }
  const forms = inds.map((i) => ({
    code: i.code,
    names: i.names,
    unit: i.unit_code,
    unitNames: i.unit_names,
    direction: i.direction,
    group: i.group,
    groupNames: i.groupNames,
    series: series
      .filter((s) => s.indicator_id === i.id)
      .map((s) => ({ code: s.code, names: s.names, unit: s.unit_code, default: s.is_default })),
    dimensions: i.dimensions.map((c) => dimMap.get(c)).filter((d): d is FormDimension => !!d),
    validationRules: i.validation_rules ?? {},
    current: current.filter((v) => v.indicatorId === i.id).map(({ indicatorId: _, ...v }) => v),
    previous: previous.filter((v) => v.indicatorId === i.id).map(({ indicatorId: _, ...v }) => v),
  }));
  // An indicator whose series all measure other countries (an import's local indicator) has nothing to enter here.
  return forms.filter((f) => f.series.length > 0);
}

/** The series of the reference catalogue, as `indicator code NUL series code` (read once from its files). */
let catalogueSeries: Promise<Set<string>> | null = null;
function catalogueSeriesKeys(): Promise<Set<string>> {
  catalogueSeries ??= readCatalogueFiles().then(
    (files) => {
      const detailed = new Map(files.indicators.map((i) => [i.code, i]));
      const keys = new Set<string>();
      for (const code of new Set([...files.sdg.indicators.map((i) => i.code), ...detailed.keys()])) {
        const own = detailed.get(code)?.series;
        for (const s of own?.length ? own.map((x) => x.code) : [code]) keys.add(`${code}\u0000${s}`);
      }
      return keys;
    },
    (err: unknown) => {
      catalogueSeries = null;
      throw err;
    },
  );
  return catalogueSeries;
}

/**
 * The series the form offers for the place (issue 19): an import creates a series for each label it meets (Los
 * Angeles' "Total by Race/ Ethnicity"), which says nothing about what Agadir measures. A series applies when it is
 * the indicator's default or one of the reference catalogue, when nobody has values of it yet (made by hand for a
 * local indicator), or when it has values in the place's country (the place itself included); a series with values
 * only in other countries is left out. Whether a series has values where is read from observation_counts.
 */
async function seriesThatApply<S extends { id: number; indicator_id: number; code: string; is_default: boolean }>(
  store: Store,
  place: FormPlace,
  series: S[],
  indicatorCode: Map<number, string>,
): Promise<S[]> {
  const catalogue = await catalogueSeriesKeys();
  const unsure = series.filter(
    (s) => !s.is_default && !catalogue.has(`${indicatorCode.get(s.indicator_id)}\u0000${s.code}`),
  );
  if (!unsure.length) return series;
  const ancestors = place.path.split('/').filter(Boolean).map(Number);
  const country = await store.db
    .selectFrom('places')
    .select('path')
    .where('id', 'in', ancestors)
    .where('level', '=', 'country')
    .executeTakeFirst();
  const within = country?.path ?? place.path;
  const used = await sql<{ series_id: number; here: boolean }>`
    SELECT c.series_id, bool_or(starts_with(p.path, ${within})) AS here
      FROM (SELECT series_id, place_id FROM observation_counts
             WHERE series_id IN (${sql.join(unsure.map((s) => s.id))})
             GROUP BY series_id, place_id HAVING sum(n) > 0) c
      JOIN places p ON p.id = c.place_id
     GROUP BY c.series_id`.execute(store.db);
  const here = new Map(used.rows.map((r) => [r.series_id, r.here]));
  const left = new Set(unsure.filter((s) => here.get(s.id) === false).map((s) => s.id));
  return series.filter((s) => !left.has(s.id));
}

type ValueRow = FormValue & { indicatorId: number };

/**
 * Values of the indicators at the place: for the period (with why each one sent back waits for its provider), or
 * (latest) the latest earlier value of each key.
 */
async function valuesAt(
  store: Store,
  indicatorIds: number[],
  placeId: number,
  cond: ReturnType<typeof sql>,
  latest = false,
): Promise<ValueRow[]> {
  const r = await sql<
    ValueRow & {
      dims: Record<string, string> | string;
      ret_action: ReturnAction | null;
      ret_reason: string | null;
      ret_by: string | null;
      ret_at: Date | string | null;
    }
  >`
    SELECT ${latest ? sql`DISTINCT ON (o.series_id, o.disagg_id)` : sql``}
           o.indicator_id AS "indicatorId", s.code AS series, d.dims, o.period, o.value, o.unit, o.status, src.name AS source, o.note, o.version,
           ret.action AS ret_action, ret.reason AS ret_reason, ret.by AS ret_by, ret.at AS ret_at
      FROM observations o
      JOIN series s ON s.id = o.series_id
      JOIN disaggregations d ON d.id = o.disagg_id
      LEFT JOIN sources src ON src.id = o.source_id
      LEFT JOIN LATERAL (
        SELECT e.action, e.reason, e.at, coalesce(u.display_name, u.email, e.actor_label) AS by
          FROM observation_events e LEFT JOIN users u ON u.id = e.user_id
         WHERE ${sql.raw(EVENT_KEY('e', 'o'))} AND NOT ${sql.lit(latest)}
           AND e.action IN ('sent-back', 'reopened') AND e.version = o.version AND e.at >= o.updated_at
         ORDER BY e.id DESC LIMIT 1) ret ON true
     WHERE o.place_id = ${placeId} AND o.indicator_id IN (${sql.join(indicatorIds)}) AND ${cond}
     ORDER BY o.series_id, o.disagg_id${latest ? sql`, o.period_end DESC, o.period_start DESC` : sql``}`.execute(
    store.db,
  );
  return r.rows.map(({ ret_action, ret_reason, ret_by, ret_at, ...x }) => ({
    ...x,
    dims: typeof x.dims === 'string' ? JSON.parse(x.dims) : x.dims,
    value: Number(x.value),
    ...(latest
      ? {}
      : {
          returned:
            ret_action && ret_at
              ? { action: ret_action, reason: ret_reason ?? '', by: ret_by ?? '', at: new Date(ret_at).toISOString() }
              : null,
        }),
  }));
}
