/**
 * A Marsad value in its UN form under an SDMX data structure (the global SDG structure `IAEG-SDGs:SDG`): what the
 * export for the UN writes (un-export.ts) and what the check checks (check-data.ts). One function, `unFormOf`, so that
 * the check checks exactly what the export writes. Each value is written:
 * - SERIES: the series code, or the alias of it that is a code of SERIES — of the two, one the content constraints
 *   name (a code without constraints takes nothing) — and Marsad's own code, when it is not the one written, as
 *   COMMENT_TS "National series code X" (when the structure has COMMENT_TS);
 * - REF_AREA: the place's M49 code (`codes.m49`, else its ISO 3166 numeric code without leading zeros);
 * - FREQ: the frequency of the period (A for a year or a financial year, S, Q, M, W, D; a span of years has none);
 *   REPORTING_TYPE: N (national data);
 * - each breakdown dimension of the structure, in its order: the value's code, else the "no breakdown" code the series
 *   takes — `_T` (total), or `_Z` (not applicable) where the series' constraint allows `_Z` and not `_T` (or, without a
 *   constraint, where the code list has `_Z` and no `_T`); a series whose constraint allows one code of a dimension
 *   and neither `_T` nor `_Z` is defined on that code (EN_LND_SLUM, the urban population's: URBANISATION U only), and
 *   its values not broken down by the dimension are written with it;
 * - TIME_PERIOD: the SDMX time period (TIME_DETAIL: Marsad's period when it is written otherwise, e.g. a financial
 *   year `2017-07-01/P1Y`); OBS_VALUE: the value;
 * - UNIT_MEASURE: the code of the structure's unit list matching the value's unit (by code or English name,
 *   core/observations/units.ts), the one the series' constraint allows when several match;
 * - UNIT_MULT: 0, since Marsad keeps values in units; when the series' constraint does not take 0 but another
 *   multiplier (the UN takes some series in millions: UNIT_MULT 6), the value is divided by 10 to that power and
 *   written with it;
 * - OBS_STATUS: P for a provisional value, A otherwise; NATURE: C (country data: the values are the country's own,
 *   neither estimated nor modelled by an international agency), when the structure's NATURE list has C;
 * - COMMENT_OBS: the note; SOURCE_DETAIL: the source's name.
 * An attribute is written only when the structure has it.
 */
import {
  type CheckConstraints,
  type CheckObservation,
  type CheckStructure,
  type CodeSet,
  type ObservationStatus,
  parsePeriod,
  SDMX_KEY_DIMENSIONS,
  sameUnit,
  toSdmxTimePeriod,
} from '@marsad/core';
import type { Store } from '@marsad/db';
import { obsStatusOf } from '../formats/common/sdmx.ts';

/** A component of a data structure, as the export writes it. */
export interface UnComponent {
  id: string;
  kind: 'dimension' | 'time' | 'attribute' | 'measure';
  /** Its position among the components of its kind (dimensions: the key's order). */
  position: number;
  mandatory: boolean;
  /** Attributes: observation, series, group or dataset (null: the structure does not say). */
  attachment: 'observation' | 'series' | 'group' | 'dataset' | null;
  /** `AGENCY:ID(VERSION)` of its code list; null: free text. */
  codelist: string | null;
}

/** A data structure in the terms of the export: its reference and its components in order. */
export interface UnDataStructure {
  /** `AGENCY:ID(VERSION)`. */
  ref: string;
  agency: string;
  id: string;
  version: string;
  /** The dimensions in the key's order, the time dimension, the primary measure, then the attributes in order. */
  components: UnComponent[];
}

/** A loaded data structure with what the UN form and the check need. */
export interface UnStructure extends UnDataStructure {
  /** The structure's row (sdmx_structures.id). */
  rowId: number;
  check: CheckStructure;
  constraints: CheckConstraints;
  /** The codes of the unit list (UNIT_MEASURE) with their English names. */
  units: readonly { code: string; en: string }[];
}

/** A stored value, with what its UN form needs. */
export interface StoredValue {
  /** Marsad's series code, its aliases and its unit. */
  series: string;
  aliases: readonly string[];
  seriesUnit: string | null;
  /** Marsad's place code and the place's M49 code (null: none). */
  place: string;
  area: string | null;
  period: string;
  /** Marsad dimension → code; totals are left out. */
  dims: Readonly<Record<string, string>>;
  /** null: withheld by its indicator's suppression rule (`suppressedBelow`). */
  value: number | null;
  suppressedBelow: number | null;
  unit: string | null;
  status: ObservationStatus;
  source: string | null;
  synthetic: boolean;
  note: string | null;
}

/** A value in the terms of the structure: what one observation of the export holds. */
export interface UnRecord {
  /** Every dimension but time, in the structure's order: FREQ, REPORTING_TYPE, SERIES, REF_AREA, SEX, AGE, … */
  key: Record<string, string>;
  /** The time dimension's value (TIME_PERIOD). */
  timePeriod: string;
  /** The primary measure (OBS_VALUE), scaled by UNIT_MULT. */
  value: number;
  /** The attributes given, series and observation ones alike (UNIT_MEASURE, UNIT_MULT, OBS_STATUS, NATURE, …). */
  attributes: Record<string, string>;
}

/** A value's UN form and what the check reads of it; `value` is null when the value is withheld (never written). */
export interface UnForm extends Omit<UnRecord, 'value'> {
  value: number | null;
  check: CheckObservation;
}

const NO_BREAKDOWN = ['_T', '_Z'] as const;
const FREQUENCIES: Record<string, string> = {
  year: 'A',
  'financial-year': 'A',
  half: 'S',
  quarter: 'Q',
  month: 'M',
  week: 'W',
  day: 'D',
};
/** NATURE C: country data (IAEG-SDGs:CL_NATURE). */
const COUNTRY_DATA = 'C';
/** REPORTING_TYPE N: national data (IAEG-SDGs:CL_REPORTING_TYPE). */
export const NATIONAL_REPORTING = 'N';

const KIND_ORDER: Record<UnComponent['kind'], number> = { dimension: 0, time: 1, measure: 2, attribute: 3 };

/** Reads a loaded structure, its code lists and its content constraints. */
export async function loadUnStructure(
  store: Store,
  structure: { id: number; agency: string; code: string; version: string },
): Promise<UnStructure> {
  const ref = `${structure.agency}:${structure.code}(${structure.version})`;
  const rows = await store.db
    .selectFrom('sdmx_components as c')
    .leftJoin('sdmx_codelists as l', 'l.id', 'c.codelist_id')
    .select([
      'c.component',
      'c.kind',
      'c.position',
      'c.codelist_id',
      'c.mandatory',
      'c.attachment',
      'l.agency',
      'l.code',
      'l.version',
    ])
    .where('c.structure_id', '=', structure.id)
    .execute();
  rows.sort(
    (a, b) =>
      KIND_ORDER[a.kind as UnComponent['kind']] - KIND_ORDER[b.kind as UnComponent['kind']] || a.position - b.position,
  );
  const listIds = [...new Set(rows.map((c) => c.codelist_id))].filter((x): x is number => x !== null);
  const lists = new Map<number, { code: string; en: string }[]>();
  if (listIds.length) {
    const codes = await store.db
      .selectFrom('sdmx_codes')
      .select(['codelist_id', 'code', 'names'])
      .where('codelist_id', 'in', listIds)
      .orderBy('codelist_id')
      .orderBy('position')
      .execute();
    for (const r of codes) {
      const list = lists.get(r.codelist_id) ?? [];
      list.push({ code: r.code, en: (r.names as Record<string, string>).en ?? '' });
      lists.set(r.codelist_id, list);
    }
  }
  const set = (id: number | null): CodeSet => (id === null ? null : new Set((lists.get(id) ?? []).map((c) => c.code)));
  const check: CheckStructure = {
    ref,
    dimensions: rows.filter((c) => c.kind === 'dimension').map((c) => ({ id: c.component, codes: set(c.codelist_id) })),
    attributes: rows
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
    const m = constraints.get(r.series) ?? new Map<string, ReadonlySet<string> | null>();
    m.set(r.component, r.codes ? new Set(r.codes as string[]) : null);
    constraints.set(r.series, m);
  }
  const unitList = rows.find((c) => c.component === 'UNIT_MEASURE')?.codelist_id ?? null;
  return {
    rowId: structure.id,
    ref,
    agency: structure.agency,
    id: structure.code,
    version: structure.version,
    components: rows.map((c) => ({
      id: c.component,
      kind: c.kind as UnComponent['kind'],
      position: c.position,
      mandatory: c.mandatory,
      attachment: c.attachment as UnComponent['attachment'],
      codelist: c.code ? `${c.agency}:${c.code}(${c.version})` : null,
    })),
    check,
    constraints,
    units: unitList === null ? [] : (lists.get(unitList) ?? []),
  };
}

/**
 * The SERIES code a Marsad series is written under: its code, else an alias, that is a code of SERIES — one the
 * content constraints name first (a code without constraints takes nothing); its own code when none is.
 */
export function unSeriesCode(
  s: Pick<UnStructure, 'check' | 'constraints'>,
): (code: string, aliases: readonly string[]) => string {
  const seriesCodes = s.check.dimensions.find((d) => d.id === 'SERIES')?.codes ?? null;
  return (code, aliases) => {
    if (!seriesCodes) return code;
    const candidates = [code, ...aliases].filter((c) => seriesCodes.has(c));
    return candidates.find((c) => s.constraints.has(c)) ?? candidates[0] ?? code;
  };
}

/**
 * Writes values in their UN form under one structure; the unit codes found are kept between values (a country's data
 * has a few units).
 */
export function unFormWriter(s: UnStructure): (v: StoredValue) => UnForm {
  const dims = new Map(s.check.dimensions.map((d) => [d.id, d]));
  const attrs = new Map(s.check.attributes.map((a) => [a.id, a]));
  const natureCodes = attrs.get('NATURE')?.codes;
  const nature = attrs.has('NATURE') && (!natureCodes || natureCodes.has(COUNTRY_DATA)) ? COUNTRY_DATA : undefined;
  const units = new Map<string, string>();
  const unitOf = (unit: string, series: string): string => {
    const allowed = s.constraints.get(series)?.get('UNIT_MEASURE');
    const cacheKey = `${unit}\u0000${allowed ? series : ''}`;
    const known = units.get(cacheKey);
    if (known !== undefined) return known;
    const exact = s.units.find((u) => u.code === unit);
    const matching = exact ? [exact] : s.units.filter((u) => sameUnit(unit, u.code, [u.en]));
    const code = (matching.find((u) => allowed?.has(u.code)) ?? matching[0])?.code ?? unit;
    units.set(cacheKey, code);
    return code;
  };

  const seriesCodeOf = unSeriesCode(s);

  return (v) => {
    const series = seriesCodeOf(v.series, v.aliases);
    const rules = s.constraints.get(series);
    const parsed = parsePeriod(v.period);
    const frequency = parsed.ok ? (FREQUENCIES[parsed.period.kind] ?? null) : null;
    const timePeriod = parsed.ok ? toSdmxTimePeriod(v.period) : v.period;

    const totals: Record<string, string> = {};
    const key: Record<string, string> = {};
    for (const d of s.check.dimensions) {
      if (d.id === 'FREQ') key.FREQ = frequency ?? '';
      else if (d.id === 'REPORTING_TYPE') key.REPORTING_TYPE = NATIONAL_REPORTING;
      else if (d.id === 'SERIES') key.SERIES = series;
      else if (d.id === 'REF_AREA') key.REF_AREA = v.area ?? '';
      else if (SDMX_KEY_DIMENSIONS.has(d.id)) key[d.id] = '';
      else {
        const given = v.dims[d.id];
        if (given !== undefined) key[d.id] = given;
        else {
          const allowed = rules?.get(d.id);
          const inList = NO_BREAKDOWN.filter((c) => !d.codes || d.codes.has(c));
          // A series defined on one code of a dimension (EN_LND_SLUM, the urban population's: URBANISATION U only)
          // takes its values, not broken down by it, under that code.
          const only = allowed?.size === 1 && !inList.some((c) => allowed.has(c)) ? [...allowed][0] : undefined;
          const total = only ?? (allowed ? inList.find((c) => allowed.has(c)) : inList[0]) ?? NO_BREAKDOWN[0];
          totals[d.id] = total;
          key[d.id] = total;
        }
      }
    }

    // UNIT_MULT: 0, or the multiplier the series takes when it does not take 0.
    const multipliers = rules?.get('UNIT_MULT');
    const multiplier =
      multipliers && !multipliers.has('0')
        ? ([...multipliers].map(Number).find((m) => Number.isInteger(m) && Math.abs(m) <= 15) ?? 0)
        : 0;
    const value = v.value === null ? null : multiplier ? Number((v.value / 10 ** multiplier).toPrecision(15)) : v.value;

    const unit = v.unit ?? v.seriesUnit;
    const given: Record<string, string | undefined> = {
      UNIT_MEASURE: unit ? unitOf(unit, series) : undefined,
      UNIT_MULT: String(multiplier),
      OBS_STATUS: obsStatusOf(v.status),
      NATURE: nature,
      COMMENT_OBS: v.note ?? undefined,
      SOURCE_DETAIL: v.source ?? undefined,
      TIME_DETAIL: timePeriod !== v.period ? v.period : undefined,
      COMMENT_TS: series !== v.series ? `National series code ${v.series}` : undefined,
    };
    const attributes: Record<string, string> = {};
    for (const a of s.check.attributes) {
      const text = given[a.id];
      if (text !== undefined && text !== '') attributes[a.id] = text;
    }
    return {
      key,
      timePeriod,
      value,
      attributes,
      check: {
        series,
        place: v.place,
        area: v.area,
        period: v.period,
        breakdown: v.dims,
        attributes,
        totals,
        frequency,
        reportingType: dims.has('REPORTING_TYPE') ? NATIONAL_REPORTING : undefined,
        ...(v.suppressedBelow !== null ? { suppressedBelow: v.suppressedBelow } : {}),
        ...(v.synthetic ? { synthetic: true } : {}),
      },
    };
  };
}

/** The M49 code of a place: its `m49` code, else its ISO 3166 numeric code without leading zeros. */
export function m49Of(codes: Record<string, string> | null | undefined): string | null {
  const c = codes?.m49 ?? codes?.iso3166_numeric;
  if (!c || !/^\d+$/.test(c)) return null;
  return String(Number(c));
}
