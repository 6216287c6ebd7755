import { canonicalUnit } from '@marsad/core';
import type { Names, SqlConn } from '@marsad/db';
import { EVENT_KEY, type ReturnAction, SENT_BACK } from './approval-events.ts';

/**
 * The values an inbox lists, each with what the person deciding needs beside its codes and number: the names of
 * the indicator, series and place (by language), the unit, source and note, the previous value of the same key and
 * its period, the change from it (absolute, and relative where that means something), and the last time it was sent
 * back or reopened — with the reason, who and when — and whether it still waits for its provider.
 */

export interface InboxValue {
  indicator: string;
  indicatorNames: Names;
  series: string;
  seriesNames: Names;
  place: string;
  placeNames: Names;
  period: string;
  dims: Record<string, string>;
  value: number;
  unit: string | null;
  unitNames: Names;
  source: string | null;
  sourceNames: Names;
  note: string | null;
  status: string;
  version: number;
  updatedAt: string;
  /** A framework of the indicator, for the address of its data-entry form. */
  framework: string | null;
  previous: { period: string; value: number } | null;
  /**
   * The change from the previous value: `relative` (a fraction) only where it means something — a previous value
   * above zero, values not below zero, and not a percentage or a yes/no (for a percentage, `points` says the change
   * is in percentage points).
   */
  change: { absolute: number; relative: number | null; points: boolean } | null;
  /** The last time the value was sent back or reopened; `open` while it waits for its provider's correction. */
  returned: { action: ReturnAction; reason: string; by: string; at: string; open: boolean } | null;
}

/** Subtree patterns of places (path LIKE); null = all places. */
export type Scope = string[] | null;

const placeIn = (scope: Scope, param: number) =>
  scope ? `p.path LIKE ANY(SELECT jsonb_array_elements_text($${param}::jsonb))` : 'true';

const COLUMNS = `i.code AS indicator, i.names AS indicator_names, s.code AS series, s.names AS series_names,
  p.code AS place, p.names AS place_names, o.period, d.dims, o.value, o.status, o.version, o.updated_at,
  coalesce(o.unit, s.unit_code, i.unit_code) AS unit,
  CASE WHEN o.unit IS NOT NULL AND o.unit <> coalesce(s.unit_code, i.unit_code, '') THEN '{}'::jsonb
       WHEN s.unit_code IS NOT NULL THEN s.unit_names ELSE i.unit_names END AS unit_names,
  src.name AS source, coalesce(src.names, '{}'::jsonb) AS source_names, o.note,
  prev.period AS prev_period, prev.value AS prev_value,
  ret.action AS ret_action, ret.reason AS ret_reason, ret.at AS ret_at,
  coalesce(ru.display_name, ru.email, ret.actor_label) AS ret_by,
  (ret.version = o.version AND ret.at >= o.updated_at) AS ret_open,
  (SELECT f.code FROM indicator_frameworks m JOIN frameworks f ON f.id = m.framework_id
    WHERE m.indicator_id = i.id ORDER BY f.id LIMIT 1) AS framework`;

const JOINS = `JOIN places p ON p.id = o.place_id
  JOIN indicators i ON i.id = o.indicator_id
  JOIN series s ON s.id = o.series_id
  JOIN disaggregations d ON d.id = o.disagg_id
  LEFT JOIN sources src ON src.id = o.source_id
  LEFT JOIN LATERAL (
    SELECT q.period, q.value FROM observations q
     WHERE q.series_id = o.series_id AND q.place_id = o.place_id AND q.disagg_id = o.disagg_id AND q.period_end < o.period_start
     ORDER BY q.period_end DESC, q.period_start DESC LIMIT 1) prev ON true
  LEFT JOIN LATERAL (
    SELECT e.action, e.reason, e.at, e.version, e.user_id, e.actor_label FROM observation_events e
     WHERE ${EVENT_KEY('e', 'o')} AND e.action IN ('sent-back', 'reopened')
     ORDER BY e.id DESC LIMIT 1) ret ON true
  LEFT JOIN users ru ON ru.id = ret.user_id`;

/**
 * The provider of a value (SQL, over observations `o`): the account that last entered or corrected it in the form,
 * or, for a value an import wrote last, the account that imported it; null when unknown (written by Marsad itself,
 * the command line or the administrator token).
 */
const PROVIDER = `CASE WHEN o.batch_id IS NOT NULL
    THEN (SELECT u.id FROM import_batches b JOIN users u ON u.email = substring(b.actor from '^(?:user|token):([^/]+)')
           WHERE b.id = o.batch_id)
    ELSE (SELECT e.user_id FROM observation_events e WHERE ${EVENT_KEY('e', 'o')} AND e.action IN ('entered', 'corrected')
           ORDER BY e.id DESC LIMIT 1) END`;

interface Row {
  indicator: string;
  indicator_names: Names;
  series: string;
  series_names: Names;
  place: string;
  place_names: Names;
  period: string;
  dims: Record<string, string> | string;
  value: number | string;
  status: string;
  version: number;
  updated_at: Date | string;
  unit: string | null;
  unit_names: Names;
  source: string | null;
  source_names: Names;
  note: string | null;
  prev_period: string | null;
  prev_value: number | string | null;
  ret_action: ReturnAction | null;
  ret_reason: string | null;
  ret_at: Date | string | null;
  ret_by: string | null;
  ret_open: boolean | null;
  framework: string | null;
}

const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const iso = (v: Date | string) => new Date(v).toISOString();

/** The change from the previous value, as InboxValue describes it. */
export function changeFrom(value: number, previous: number | null, unit: string | null): InboxValue['change'] {
  if (previous === null) return null;
  const canonical = unit ? canonicalUnit(unit) : '';
  const points = canonical === 'PERCENT';
  const ratioScale = previous > 0 && value >= 0 && !points && canonical !== 'YES NO';
  return { absolute: value - previous, relative: ratioScale ? (value - previous) / previous : null, points };
}

function toValue(r: Row): InboxValue {
  const value = Number(r.value);
  const previous = r.prev_value === null ? null : Number(r.prev_value);
  return {
    indicator: r.indicator,
    indicatorNames: json(r.indicator_names),
    series: r.series,
    seriesNames: json(r.series_names),
    place: r.place,
    placeNames: json(r.place_names),
    period: r.period,
    dims: json(r.dims),
    value,
    unit: r.unit,
    unitNames: json(r.unit_names),
    source: r.source,
    sourceNames: json(r.source_names),
    note: r.note,
    status: r.status,
    version: r.version,
    updatedAt: iso(r.updated_at),
    framework: r.framework,
    previous: r.prev_period === null || previous === null ? null : { period: r.prev_period, value: previous },
    change: changeFrom(value, previous, r.unit),
    returned:
      r.ret_action && r.ret_at
        ? {
            action: r.ret_action,
            reason: r.ret_reason ?? '',
            by: r.ret_by ?? '',
            at: iso(r.ret_at),
            open: !!r.ret_open,
          }
        : null,
  };
}

/** The latest time each value was sent back or reopened (few: each was sent back by hand). */
const OPEN_RETURNS = `SELECT DISTINCT ON (e.series_id, e.place_id, e.period, e.disagg_id) e.*
  FROM observation_events e WHERE e.action IN ('sent-back', 'reopened')
 ORDER BY e.series_id, e.place_id, e.period, e.disagg_id, e.id DESC`;

/** Values of a status at the places of the scope, the earliest changed first; provisional ones sent back left out. */
export async function waitingValues(
  conn: SqlConn,
  status: 'provisional' | 'validated',
  scope: Scope,
  limit: number,
): Promise<{ count: number; items: InboxValue[] }> {
  if (scope && scope.length === 0) return { count: 0, items: [] };
  const params: unknown[] = scope ? [status, JSON.stringify(scope)] : [status];
  const where = `o.status = $1 AND ${placeIn(scope, 2)}`;
  const all = await conn.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM observations o JOIN places p ON p.id = o.place_id WHERE ${where}`,
    params,
  );
  // Values sent back wait for their provider, not here; they are few (each was sent back by hand).
  const back =
    status === 'provisional'
      ? await conn.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (${OPEN_RETURNS}) r JOIN observations o ON ${EVENT_KEY('r', 'o')}
             JOIN places p ON p.id = o.place_id
            WHERE r.version = o.version AND r.at >= o.updated_at AND ${where}`,
          params,
        )
      : { rows: [{ n: 0 }] };
  // The values shown are chosen first, then given their names, previous values and steps (not every value waiting).
  const r = await conn.query<Row>(
    `SELECT ${COLUMNS} FROM (
       SELECT o.* FROM observations o JOIN places p ON p.id = o.place_id
        WHERE ${where}${status === 'provisional' ? ` AND NOT ${SENT_BACK('o')}` : ''}
        ORDER BY o.updated_at, o.indicator_id, o.place_id, o.period, o.disagg_id LIMIT ${limit}) o
     ${JOINS}
     ORDER BY o.updated_at, i.code, p.code, o.period, o.disagg_id`,
    params,
  );
  return { count: Number(all.rows[0]?.n ?? 0) - Number(back.rows[0]?.n ?? 0), items: r.rows.map(toValue) };
}

/** A provider: their account (null: none, the administrator token) and the places they enter values for. */
export interface Provider {
  user: number | null;
  places: string[];
}

/**
 * Values sent back and not yet corrected, the latest sent back first, either those the provider provides — they
 * entered or imported it; or, when its provider is unknown, they enter values for its place and did not send it back
 * themselves — or those of the places of a scope but for the ones a provider provides (listed to them as theirs).
 */
export async function sentBackValues(
  conn: SqlConn,
  who: { provider: Provider } | { scope: Scope; except: Provider },
  limit: number,
): Promise<{ count: number; items: InboxValue[] }> {
  const provider = 'provider' in who ? who.provider : who.except;
  const params: unknown[] = [provider.user ?? -1, JSON.stringify(provider.places)];
  const theirs = `(pv.provider = $1 OR (pv.provider IS NULL AND r.user_id IS DISTINCT FROM $1
      AND p.path LIKE ANY(SELECT jsonb_array_elements_text($2::jsonb))))`;
  let where: string;
  if ('provider' in who) {
    if (provider.user === null && provider.places.length === 0) return { count: 0, items: [] };
    where = theirs;
  } else {
    if (who.scope && who.scope.length === 0) return { count: 0, items: [] };
    if (who.scope) params.push(JSON.stringify(who.scope));
    where = `${placeIn(who.scope, 3)} AND NOT ${theirs}`;
  }
  const from = `(${OPEN_RETURNS}) r
    JOIN observations o ON ${EVENT_KEY('r', 'o')} AND o.version = r.version AND r.at >= o.updated_at AND o.status = 'provisional'
    ${JOINS}
    CROSS JOIN LATERAL (SELECT ${PROVIDER} AS provider) pv`;
  const c = await conn.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from} WHERE ${where}`, params);
  const r = await conn.query<Row>(
    `SELECT ${COLUMNS} FROM ${from} WHERE ${where} ORDER BY r.id DESC LIMIT ${limit}`,
    params,
  );
  return { count: Number(c.rows[0]?.n ?? 0), items: r.rows.map(toValue) };
}

/** Values approved through the inbox and still approved, at the places of the scope, the latest first (to reopen). */
export async function approvedValues(conn: SqlConn, scope: Scope, limit: number): Promise<InboxValue[]> {
  if (scope && scope.length === 0) return [];
  const params: unknown[] = scope ? [JSON.stringify(scope)] : [];
  const r = await conn.query<Row>(
    `SELECT ${COLUMNS} FROM observation_events a
       JOIN observations o ON ${EVENT_KEY('a', 'o')} AND o.version = a.version AND o.status = 'approved'
       ${JOINS}
      WHERE a.action = 'approved' AND ${placeIn(scope, 1)}
      ORDER BY a.id DESC LIMIT ${limit}`,
    params,
  );
  return r.rows.map(toValue);
}
