/**
 * Runs core's check (sdmx/check.ts) on a place's SDG data: the values of the place itself (not of the places under
 * it) for the series of SDG indicators, written as the export for the UN would write them — the series code (or an
 * alias of it) that is a code of SERIES, the place's M49 code as REF_AREA, the SDMX unit code matching the value's
 * unit (by code or English name of the unit code list), UNIT_MULT 0 (Marsad keeps values scaled), OBS_STATUS from the
 * status, the note as COMMENT_OBS.
 */
import {
  type CheckObservation,
  type CheckProblem,
  type CheckStructure,
  checkObservation,
  sameUnit,
} from '@marsad/core';
import type { Store } from '@marsad/db';
import { obsStatusOf } from '../formats/common/sdmx.ts';

export interface CheckReport {
  structure: string;
  place: string;
  observations: number;
  problemCount: number;
  byRule: Record<string, number>;
  problems: CheckProblem[];
}

export const MAX_LISTED_PROBLEMS = 1_000;
const MAX_CHECKED = 500_000;

async function codesOf(store: Store, codelistIds: number[]): Promise<Map<number, { code: string; en: string }[]>> {
  const out = new Map<number, { code: string; en: string }[]>();
  if (!codelistIds.length) return out;
  const rows = await store.db
    .selectFrom('sdmx_codes')
    .select(['codelist_id', 'code', 'names'])
    .where('codelist_id', 'in', codelistIds)
    .orderBy('codelist_id')
    .orderBy('position')
    .execute();
  for (const r of rows) {
    const list = out.get(r.codelist_id) ?? [];
    list.push({ code: r.code, en: (r.names as Record<string, string>).en ?? '' });
    out.set(r.codelist_id, list);
  }
  return out;
}

/** The M49 code of a place: its `m49` code, else its ISO 3166 numeric code without leading zeros. */
export function m49Of(codes: Record<string, string> | null | undefined): string | null {
  const c = codes?.m49 ?? codes?.iso3166_numeric;
  if (!c || !/^\d+$/.test(c)) return null;
  return String(Number(c));
}

export async function checkPlaceData(
  store: Store,
  structure: { id: number; agency: string; code: string; version: string },
  place: { id: number; code: string; codes: Record<string, string> },
  options: { approvedOnly: boolean },
): Promise<CheckReport> {
  const ref = `${structure.agency}:${structure.code}(${structure.version})`;
  const components = await store.db
    .selectFrom('sdmx_components')
    .select(['component', 'kind', 'position', 'codelist_id', 'mandatory'])
    .where('structure_id', '=', structure.id)
    .orderBy('position')
    .execute();
  const lists = await codesOf(
    store,
    [...new Set(components.map((c) => c.codelist_id))].filter((x): x is number => x !== null),
  );
  const set = (id: number | null) => (id === null ? null : new Set((lists.get(id) ?? []).map((c) => c.code)));
  const check: CheckStructure = {
    ref,
    dimensions: components
      .filter((c) => c.kind === 'dimension')
      .map((c) => ({ id: c.component, codes: set(c.codelist_id) })),
    attributes: components
      .filter((c) => c.kind === 'attribute')
      .map((c) => ({ id: c.component, mandatory: c.mandatory, codes: set(c.codelist_id) })),
  };
  const constraintRows = await store.db
    .selectFrom('sdmx_constraints')
    .select(['series', 'component', 'codes'])
    .where('structure_id', '=', structure.id)
    .execute();
  const constraints = new Map<string, Map<string, ReadonlySet<string> | null>>();
  for (const r of constraintRows) {
    const m = constraints.get(r.series) ?? new Map();
    m.set(r.component, r.codes ? new Set(r.codes as string[]) : null);
    constraints.set(r.series, m);
  }
  const seriesCodes = check.dimensions.find((d) => d.id === 'SERIES')?.codes ?? null;
  const unitList = lists.get(components.find((c) => c.component === 'UNIT_MEASURE')?.codelist_id ?? -1) ?? [];
  const unitCache = new Map<string, string>();
  const sdmxUnit = (unit: string): string => {
    const known = unitCache.get(unit);
    if (known !== undefined) return known;
    const found = unitList.find((u) => u.code === unit) ?? unitList.find((u) => sameUnit(unit, u.code, [u.en]));
    const code = found?.code ?? unit;
    unitCache.set(unit, code);
    return code;
  };

  let q = store.db
    .selectFrom('observations as o')
    .innerJoin('series as s', 's.id', 'o.series_id')
    .innerJoin('indicators as i', 'i.id', 'o.indicator_id')
    .innerJoin('disaggregations as d', 'd.id', 'o.disagg_id')
    .select(['s.code as series', 's.aliases', 's.unit_code', 'o.period', 'o.unit', 'o.status', 'o.note', 'd.dims'])
    .where('o.place_id', '=', place.id)
    .where('i.sdg_target', 'is not', null);
  if (options.approvedOnly) q = q.where('o.status', '=', 'approved');
  const rows = await q.orderBy('o.series_id').orderBy('o.period').orderBy('o.disagg_id').limit(MAX_CHECKED).execute();

  const area = m49Of(place.codes);
  const byRule: Record<string, number> = {};
  const problems: CheckProblem[] = [];
  let problemCount = 0;
  for (const r of rows) {
    const series =
      seriesCodes && !seriesCodes.has(r.series) ? (r.aliases.find((a) => seriesCodes.has(a)) ?? r.series) : r.series;
    const unit = r.unit ?? r.unit_code;
    const o: CheckObservation = {
      series,
      place: place.code,
      area,
      period: r.period,
      breakdown: r.dims as Record<string, string>,
      attributes: {
        UNIT_MEASURE: unit ? sdmxUnit(unit) : undefined,
        UNIT_MULT: '0',
        OBS_STATUS: obsStatusOf(r.status),
        COMMENT_OBS: r.note ?? undefined,
      },
    };
    for (const p of checkObservation(check, constraints, o)) {
      problemCount++;
      byRule[p.rule] = (byRule[p.rule] ?? 0) + 1;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
    }
  }
  return { structure: ref, place: place.code, observations: rows.length, problemCount, byRule, problems };
}
