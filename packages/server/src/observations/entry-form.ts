import type { Period, ValidationRules } from '@marsad/core';
import type { Names, Store } from '@marsad/db';
import { sql } from 'kysely';

/**
 * What the data-entry form needs for a place, a period and a framework: the indicators that
 * apply (active or draft, not retired, with at least one series, in the framework; local indicators only for their
 * own place and the places above it), their series, dimensions with value codes, validation
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
  const [series, dims, current, previous] = await Promise.all([
    db
      .selectFrom('series')
      .select(['indicator_id', 'code', 'names', 'unit_code', 'is_default'])
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
  const dimMap = new Map<string, FormDimension>();
  for (const d of dims) {
    const x = dimMap.get(d.dim) ?? { code: d.dim, names: d.dimNames, values: [] };
    x.values.push({ code: d.code, names: d.names });
    dimMap.set(d.dim, x);
  }
  return inds.map((i) => ({
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
}

type ValueRow = FormValue & { indicatorId: number };

/** Values of the indicators at the place: for the period, or (latest) the latest earlier value of each key. */
async function valuesAt(
  store: Store,
  indicatorIds: number[],
  placeId: number,
  cond: ReturnType<typeof sql>,
  latest = false,
): Promise<ValueRow[]> {
  const r = await sql<ValueRow & { dims: Record<string, string> | string }>`
    SELECT ${latest ? sql`DISTINCT ON (o.series_id, o.disagg_id)` : sql``}
           o.indicator_id AS "indicatorId", s.code AS series, d.dims, o.period, o.value, o.unit, o.status, src.name AS source, o.note, o.version
      FROM observations o
      JOIN series s ON s.id = o.series_id
      JOIN disaggregations d ON d.id = o.disagg_id
      LEFT JOIN sources src ON src.id = o.source_id
     WHERE o.place_id = ${placeId} AND o.indicator_id IN (${sql.join(indicatorIds)}) AND ${cond}
     ORDER BY o.series_id, o.disagg_id${latest ? sql`, o.period_end DESC, o.period_start DESC` : sql``}`.execute(
    store.db,
  );
  return r.rows.map((x) => ({
    ...x,
    dims: typeof x.dims === 'string' ? JSON.parse(x.dims) : x.dims,
    value: Number(x.value),
  }));
}
