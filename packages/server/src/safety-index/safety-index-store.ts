import type { Names, Schema } from '@marsad/db';
import { type Kysely, sql } from 'kysely';
import { approvedYearlyValues, type ObservedValue } from '../results/observed-values.ts';

/**
 * The SQL of the composite safety profile (docs/methods/safety-index.md, "The profile from the data"): the framework's
 * indicators with their theme, direction and default series; the place, its country and its group; the yearly
 * approved totals as the public reads them; the 2030 targets that give the benchmarks.
 */

export interface ProfileFramework {
  id: number;
  code: string;
  names: Names;
  draft: boolean;
}

export interface ProfileTheme {
  code: string;
  names: Names;
}

export interface ProfileIndicator {
  id: number;
  code: string;
  names: Names;
  unitCode: string | null;
  unitNames: Names;
  direction: 'higher' | 'lower';
  theme: string;
  seriesId: number;
}

export async function findFramework(db: Kysely<Schema>, code: string): Promise<ProfileFramework | null> {
  const f = await db
    .selectFrom('frameworks')
    .select(['id', 'code', 'names', 'draft'])
    .where('code', '=', code)
    .executeTakeFirst();
  return f ?? null;
}

/** The framework's groups in their order: the themes of the index. */
export async function frameworkThemes(db: Kysely<Schema>, frameworkId: number): Promise<ProfileTheme[]> {
  return db
    .selectFrom('framework_groups')
    .select(['code', 'names'])
    .where('framework_id', '=', frameworkId)
    .orderBy('position')
    .orderBy('code')
    .execute();
}

/**
 * The framework's indicators that belong to a group, have a better direction and are not retired, each with its
 * default series (else its first); in code order.
 */
export async function frameworkIndicators(db: Kysely<Schema>, frameworkId: number): Promise<ProfileIndicator[]> {
  const rows = await sql<ProfileIndicator>`
    SELECT i.id, i.code, i.names, i.unit_code AS "unitCode", i.unit_names AS "unitNames", i.direction,
           g.code AS theme,
           (SELECT s.id FROM series s WHERE s.indicator_id = i.id ORDER BY s.is_default DESC, s.id LIMIT 1) AS "seriesId"
      FROM indicators i
      JOIN indicator_frameworks m ON m.indicator_id = i.id AND m.framework_id = ${frameworkId}
      JOIN framework_groups g ON g.id = m.group_id
     WHERE i.direction IN ('higher', 'lower') AND i.status <> 'retired'
     ORDER BY g.position, g.code, i.code`.execute(db);
  return rows.rows.filter((r) => r.seriesId !== null);
}

export interface ProfilePlace {
  id: number;
  code: string;
  names: Names;
  level: string;
  pilot: boolean;
  path: string;
  parentId: number | null;
}

export async function findPlace(db: Kysely<Schema>, code: string): Promise<ProfilePlace | null> {
  const p = await db
    .selectFrom('places')
    .select(['id', 'code', 'names', 'level', 'pilot', 'path', 'parent_id as parentId'])
    .where('code', '=', code)
    .executeTakeFirst();
  return p ?? null;
}

/** The country above a place (the nearest ancestor of level country), or null. */
export async function countryOf(db: Kysely<Schema>, place: ProfilePlace): Promise<ProfilePlace | null> {
  const r = await sql<ProfilePlace>`
    SELECT k.id, k.code, k.names, k.level, k.pilot, k.path, k.parent_id AS "parentId" FROM places k
     WHERE k.level = 'country' AND ${place.path} LIKE k.path || '%' AND k.id <> ${place.id}
     ORDER BY length(k.path) DESC LIMIT 1`.execute(db);
  return r.rows[0] ?? null;
}

export type GroupKind = 'pilot-cities' | 'country-cities' | 'city-districts';

/**
 * The places a profile is read against (ids only; the answer never names them): a pilot city's group is the pilot
 * cities; another city's, the cities of its country; a district's, the districts of its parent. Always includes the
 * place itself.
 */
export async function groupOf(
  db: Kysely<Schema>,
  place: ProfilePlace,
  country: ProfilePlace | null,
): Promise<{ kind: GroupKind; ids: number[] } | null> {
  let kind: GroupKind;
  let q = db.selectFrom('places').select('id').orderBy('id');
  if (place.level === 'city' && place.pilot) {
    kind = 'pilot-cities';
    q = q.where('level', '=', 'city').where('pilot', '=', true);
  } else if (place.level === 'city') {
    kind = 'country-cities';
    q = country
      ? q.where('level', '=', 'city').where('path', 'like', `${country.path}%`)
      : q.where('id', '=', place.id);
  } else if (place.level === 'district' && place.parentId !== null) {
    kind = 'city-districts';
    q = q.where('level', '=', 'district').where('parent_id', '=', place.parentId);
  } else return null;
  const ids = (await q.execute()).map((r) => r.id);
  return { kind, ids: ids.includes(place.id) ? ids : [...ids, place.id] };
}

/** The yearly approved totals of these series at these places, as the public reads them (null where withheld). */
export function yearlyValues(
  db: Kysely<Schema>,
  seriesIds: readonly number[],
  placeIds: readonly number[],
): Promise<ObservedValue[]> {
  return approvedYearlyValues(db, seriesIds, placeIds);
}

export interface TargetRow {
  indicatorId: number;
  seriesId: number | null;
  value: number | null;
  relativeChange: number | null;
  baselineYear: number | null;
}

/**
 * The targets for the year given that hold for every place (no place), per indicator: the one of the series if there
 * is one, else the indicator's; the latest entered first.
 */
export async function groupTargets(
  db: Kysely<Schema>,
  indicatorIds: readonly number[],
  year: number,
): Promise<TargetRow[]> {
  if (!indicatorIds.length) return [];
  return db
    .selectFrom('targets')
    .select([
      'indicator_id as indicatorId',
      'series_id as seriesId',
      'value',
      'relative_change as relativeChange',
      'baseline_year as baselineYear',
    ])
    .where('indicator_id', 'in', [...indicatorIds])
    .where('place_id', 'is', null)
    .where('year', '=', year)
    .orderBy('id', 'desc')
    .execute();
}

/** The settings row of the index's choices (JSON as stored), or undefined. */
export async function readSetting(db: Kysely<Schema>, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select(['value']).where('key', '=', key).executeTakeFirst();
  return row?.value;
}
